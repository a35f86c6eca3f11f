import ShortLinkCore
import Testing

/// The `append…(to:)` forms of ids, times and addresses (the COPY encoder's) against
/// references built independently here with string interpolation.
@Suite struct TextFormAppendingTests {
    private func bytes(_ body: (inout [UInt8]) -> Void) -> String {
        var buffer: [UInt8] = [UInt8(ascii: ">")]
        body(&buffer)
        return String(decoding: buffer.dropFirst(), as: UTF8.self)
    }

    private func hex(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    @Test func entityIDs_areLowercase8_4_4_4_12() {
        var random = SplitMix64(seed: 7)
        let ids = [EntityID(high: 0, low: 0), EntityID(high: ~0, low: ~0)] + (0..<2_000).map { _ in EntityID.random(using: &random) }
        for id in ids {
            let h = hex(id.high, 16)
            let l = hex(id.low, 16)
            let expected = "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
            #expect(bytes { id.appendDescription(to: &$0) } == expected)
            #expect(id.description == expected)
        }
    }

    /// The reference is the interpolating implementation `iso8601` had before it appended bytes.
    private func referenceISO8601(_ micros: Int64) -> String {
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (year, month, day) = Timestamp.civil(fromDays: days)
        let seconds = rest / 1_000_000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
            + "\(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))" + ".\(pad(rest % 1_000_000, 6))Z"
    }

    @Test func timestamps_areISO8601_includingEdgesAndYearsBeyondFourDigits() {
        var random = SplitMix64(seed: 8)
        let edges: [Int64] = [
            0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 253_402_300_799_999_999, 253_402_300_800_000_000, -62_167_219_200_000_001,
        ]
        for micros in edges + (0..<5_000).map({ _ in Int64(bitPattern: random.next()) % 300_000_000_000_000_000 }) {
            let time = Timestamp(microsecondsSinceEpoch: micros)
            #expect(bytes { time.appendISO8601(to: &$0) } == referenceISO8601(micros), "\(micros)")
            #expect(time.iso8601 == referenceISO8601(micros), "\(micros)")
        }
    }

    @Test func addresses_areDottedQuads_andIPv6AsItsDescription() {
        var random = SplitMix64(seed: 9)
        var quads: [UInt32] = [0, 0xFFFF_FFFF, 0x0A00_0001, 0x6400_0A09]
        quads += (0..<2_000).map { _ in UInt32(truncatingIfNeeded: random.next()) }
        for quad in quads {
            let address = IPAddress(ipv4: quad)
            let expected = "\(quad >> 24).\((quad >> 16) & 0xFF).\((quad >> 8) & 0xFF).\(quad & 0xFF)"
            #expect(bytes { address.appendDescription(to: &$0) } == expected)
            #expect(address.description == expected)
        }
        for address in [IPAddress("2001:db8::1")!, IPAddress("::")!] + (0..<500).map({ _ in IPAddress(high: random.next(), low: random.next()) }) {
            #expect(bytes { address.appendDescription(to: &$0) } == address.description)
        }
        #expect(IPAddress("2001:db8::1")!.description == "2001:db8::1")
    }
}
