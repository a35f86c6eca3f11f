import ShortLinkCore
import Testing

@Suite struct IPv4ParsingTests {
    @Test(arguments: [
        ("0.0.0.0", UInt32(0)),
        ("1.2.3.4", 0x0102_0304),
        ("10.0.0.1", 0x0A00_0001),
        ("192.168.100.200", 0xC0A8_64C8),
        ("255.255.255.255", 0xFFFF_FFFF),
    ])
    func parse_whenDottedQuad_givesValueAndFormatsBack(_ text: String, _ value: UInt32) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isIPv4)
        #expect(address.ipv4 == value)
        #expect(address == IPAddress(ipv4: value))
        #expect(address.description == text)
    }

    @Test(arguments: [
        "", "01.2.3.4", "1.02.3.4", "1.2.3.00", "00.0.0.0",
        "256.1.1.1", "1.2.3.256", "1.2.3.999", "1.2.3.1000",
        "1", "1.2", "1.2.3", "1.2.3.4.5", "1.2.3.4.", ".1.2.3.4", "1..2.3",
        "1.2.3.-4", " 1.2.3.4", "1.2.3.4 ", "a.b.c.d", "1.2.3.0x4",
    ])
    func parse_whenMalformedIPv4_isNil(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func ipv4_whenIPv6Address_isNil() throws {
        let address = try #require(IPAddress("2001:db8::1"))
        #expect(!address.isIPv4)
        #expect(address.ipv4 == nil)
    }
}

@Suite struct IPv6ParsingTests {
    @Test(arguments: [
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", UInt64(0x2001_0DB8_85A3_0000), UInt64(0x0000_8A2E_0370_7334)),
        ("2001:db8::8a2e:370:7334", 0x2001_0DB8_0000_0000, 0x0000_8A2E_0370_7334),
        ("::", 0, 0),
        ("::1", 0, 1),
        ("1::", 0x0001_0000_0000_0000, 0),
        ("1:2:3:4:5:6:7:8", 0x0001_0002_0003_0004, 0x0005_0006_0007_0008),
        ("1:2:3:4:5:6:7::", 0x0001_0002_0003_0004, 0x0005_0006_0007_0000),
        ("::2:3:4:5:6:7:8", 0x0000_0002_0003_0004, 0x0005_0006_0007_0008),
        ("FE80::ABCD:1", 0xFE80_0000_0000_0000, 0x0000_0000_ABCD_0001),
        ("1:2:3:4:5:6:1.2.3.4", 0x0001_0002_0003_0004, 0x0005_0006_0102_0304),
        ("64:ff9b::192.0.2.33", 0x0064_FF9B_0000_0000, 0x0000_0000_C000_0221),
    ])
    func parse_whenValidIPv6_givesBigEndianHalves(_ text: String, _ high: UInt64, _ low: UInt64) {
        #expect(IPAddress(text) == IPAddress(high: high, low: low))
    }

    @Test(arguments: ["::ffff:1.2.3.4", "::FFFF:1.2.3.4", "0:0:0:0:0:ffff:1.2.3.4", "::ffff:102:304"])
    func parse_whenIPv4Mapped_equalsTheIPv4Address(_ text: String) throws {
        let mapped = try #require(IPAddress(text))
        #expect(mapped == IPAddress("1.2.3.4"))
        #expect(mapped.isIPv4)
        #expect(mapped.ipv4 == 0x0102_0304)
        #expect(mapped.description == "1.2.3.4")
    }

    @Test func parse_whenZoneGiven_ignoresIt() throws {
        let plain = try #require(IPAddress("fe80::1"))
        #expect(IPAddress("fe80::1%eth0") == plain)
        #expect(IPAddress("fe80::1%25") == plain)
        #expect(IPAddress("fe80::1%eth0")?.description == "fe80::1")
    }

    @Test(arguments: [
        ":::", "1:::2", "::1:::",
        "1::2::3", "::1::", "1::2:3::",
        "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8::", "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9:10",
        "12345::", "1:2:3:4:5:6:7:10000", "::00000",
        "1:2:3:4:5:6:7:8:", "1::2:", "1:", ":", ":1::2", ":1:2:3:4:5:6:7:8", ":12:3:4:5:6:7:8",
        "g::1", "::-1", "1:2 ::", "::ffff:1.2.3", "::ffff:1.2.3.4:5", "::ffff:01.2.3.4", "::ffff:1.2.3.256",
        "%eth0", "fe80::1 ", "[::1]",
    ])
    func parse_whenMalformedIPv6_isNil(_ text: String) {
        #expect(IPAddress(text) == nil)
    }
}

@Suite struct IPv6FormattingTests {
    @Test(arguments: [
        // lowercase, leading zeros dropped, longest run compressed
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789", "abcd:ef01:2345:6789:abcd:ef01:2345:6789"),
        ("2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
        // the longest run wins even when it is not the first
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
        ("1:0:0:2:0:0:0:0", "1:0:0:2::"),
        // the first of equally long runs is compressed
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("0:0:1:2:3:4:0:0", "::1:2:3:4:0:0"),
        // a single zero group is never compressed
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        ("0:1:0:1:0:1:0:1", "0:1:0:1:0:1:0:1"),
        ("1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"),
        // runs at either end, and everything
        ("0:0:0:0:0:0:0:0", "::"),
        ("0:0:0:0:0:0:0:1", "::1"),
        ("1:0:0:0:0:0:0:0", "1::"),
        ("0:0:1:0:0:0:0:0", "0:0:1::"),
        ("2001:db8::0:1", "2001:db8::1"),
    ])
    func description_followsRFC5952(_ input: String, _ expected: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == expected)
    }
}

@Suite struct IPAddressBytesTests {
    @Test func initBytes_whenFourBytes_isIPv4() throws {
        let address = try #require(IPAddress(bytes: [192, 0, 2, 1]))
        #expect(address == IPAddress("192.0.2.1"))
        #expect(address.isIPv4)
    }

    @Test func initBytes_whenSixteenBytes_isIPv6InNetworkOrder() throws {
        let bytes: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB, 0x01]
        let address = try #require(IPAddress(bytes: bytes))
        #expect(address == IPAddress("2001:db8::ab01"))
        #expect(address.bytes16 == bytes)
    }

    @Test(arguments: [0, 1, 3, 5, 8, 15, 17, 32])
    func initBytes_whenOtherLength_isNil(_ count: Int) {
        #expect(IPAddress(bytes: [UInt8](repeating: 1, count: count)) == nil)
    }

    @Test func bytes16_whenIPv4_isMappedForm() throws {
        let address = try #require(IPAddress("192.0.2.1"))
        #expect(address.bytes16 == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 1])
        #expect(IPAddress(bytes: address.bytes16) == address)
    }

    @Test(arguments: ["::", "::1", "1::", "2001:db8:85a3::8a2e:370:7334", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "10.20.30.40"])
    func bytes16_roundTripsThroughInitBytes(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.bytes16.count == 16)
        #expect(IPAddress(bytes: address.bytes16) == address)
    }
}

@Suite struct IPAddressMaskingTests {
    @Test(arguments: [
        ("192.168.37.200", 24, "192.168.37.0"),
        ("192.168.37.200", 20, "192.168.32.0"),
        ("192.168.37.200", 32, "192.168.37.200"),
        ("192.168.37.200", 0, "0.0.0.0"),
        ("255.255.255.255", 1, "128.0.0.0"),
    ])
    func masked_whenIPv4_countsIPv4Bits(_ text: String, _ prefix: Int, _ expected: String) throws {
        let masked = try #require(IPAddress(text)).masked(toPrefix: prefix)
        #expect(masked.isIPv4)
        #expect(masked.description == expected)
    }

    @Test(arguments: [
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 48, "2001:db8:abcd::"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 36, "2001:db8:a000::"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 64, "2001:db8:abcd:1234::"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 65, "2001:db8:abcd:1234::"),
        ("2001:db8:abcd:1234:ffff:9abc:def0:1234", 65, "2001:db8:abcd:1234:8000::"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 127, "2001:db8:abcd:1234:5678:9abc:def0:1234"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1235", 127, "2001:db8:abcd:1234:5678:9abc:def0:1234"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 128, "2001:db8:abcd:1234:5678:9abc:def0:1234"),
        ("2001:db8:abcd:1234:5678:9abc:def0:1234", 0, "::"),
    ])
    func masked_whenIPv6_countsIPv6Bits(_ text: String, _ prefix: Int, _ expected: String) throws {
        let masked = try #require(IPAddress(text)).masked(toPrefix: prefix)
        #expect(masked == IPAddress(expected))
    }
}

@Suite struct IPAddressPropertyTests {
    static let iterations = 5_000

    @Test func description_whenRandomIPv4_parsesBackAndIsDottedQuad() {
        var generator = SplitMix64(seed: 0x1F4_0001)
        for _ in 0..<Self.iterations {
            let address = IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()))
            #expect(IPAddress(address.description) == address, "\(address)")
            #expect(address.description == Self.referenceFormat(address), "\(address)")
            #expect(IPAddress(Self.expandedForm(address, using: &generator)) == address, "\(address)")
        }
    }

    @Test func description_whenRandomIPv6_parsesBackAndFollowsRFC5952() {
        var generator = SplitMix64(seed: 0x1F6_0001)
        var compressed = 0
        for _ in 0..<Self.iterations {
            let address = Self.randomIPv6(using: &generator)
            let text = address.description
            #expect(IPAddress(text) == address, "\(text)")
            #expect(text == Self.referenceFormat(address), "\(Self.groups(address))")
            let expanded = Self.expandedForm(address, using: &generator)
            #expect(IPAddress(expanded) == address, "\(expanded)")
            if text.contains("::") { compressed += 1 }
        }
        // The generator must actually exercise compression, or the checks above prove little.
        #expect(compressed > Self.iterations / 4)
    }

    /// Random 16-bit groups, half of them zero so that runs of every length (and ties) occur;
    /// the rest of random width so that short groups appear too. One in eight is fully random.
    static func randomIPv6(using generator: inout SplitMix64) -> IPAddress {
        if generator.next() % 8 == 0 { return IPAddress(high: generator.next(), low: generator.next()) }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            let group: UInt64 = generator.next() % 2 == 0 ? 0 : generator.next() >> (48 + generator.next() % 16)
            if index < 4 { high = high << 16 | group } else { low = low << 16 | group }
        }
        return IPAddress(high: high, low: low)
    }

    static func groups(_ address: IPAddress) -> [UInt16] {
        address.bytes16.indices.filter { $0 % 2 == 0 }.map {
            UInt16(address.bytes16[$0]) << 8 | UInt16(address.bytes16[$0 + 1])
        }
    }

    /// Eight groups of four hex digits, each digit in random case.
    static func expandedForm(_ address: IPAddress, using generator: inout SplitMix64) -> String {
        groups(address).map { group in
            let digits = String(group, radix: 16)
            let padded = String(repeating: "0", count: 4 - digits.count) + digits
            return String(padded.map { generator.next() % 2 == 0 ? Character($0.uppercased()) : $0 })
        }.joined(separator: ":")
    }

    /// An independent RFC 5952 formatter: dotted quad for mapped IPv4; otherwise lowercase
    /// groups with the first longest run of two or more zero groups replaced by "::".
    static func referenceFormat(_ address: IPAddress) -> String {
        let bytes = address.bytes16
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return bytes[12...].map { String($0) }.joined(separator: ".")
        }
        let hex = groups(address).map { String($0, radix: 16) }
        var best: Range<Int>?
        for start in 0..<8 {
            for end in stride(from: 8, to: start + 1, by: -1) where hex[start..<end].allSatisfy({ $0 == "0" }) {
                if end - start >= 2, end - start > (best?.count ?? 0) { best = start..<end }
                break
            }
        }
        guard let best else { return hex.joined(separator: ":") }
        return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
    }
}
