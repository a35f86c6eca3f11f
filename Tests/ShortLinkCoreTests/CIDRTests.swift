import ShortLinkCore
import Testing

@Suite struct CIDRParsingTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0", 8),
        ("0.0.0.0/0", "0.0.0.0", 0),
        ("1.2.3.4/32", "1.2.3.4", 32),
        ("192.168.1.7", "192.168.1.7", 32),
        ("2001:db8::/32", "2001:db8::", 32),
        ("::/0", "::", 0),
        ("2001:db8::1/128", "2001:db8::1", 128),
        ("::1", "::1", 128),
        ("fe80::%eth0/64", "fe80::", 64),
    ])
    func parse_withOrWithoutPrefix_givesNetworkAndLength(_ text: String, _ network: String, _ prefix: Int) throws {
        let block = try #require(CIDR(text))
        #expect(block.network == IPAddress(network))
        #expect(block.prefixLength == prefix)
    }

    @Test(arguments: [
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("192.168.37.200/20", "192.168.32.0/20"),
        ("255.255.255.255/0", "0.0.0.0/0"),
        ("2001:db8:abcd:1234::1/48", "2001:db8:abcd::/48"),
        ("2001:db8:abcd:1234:ffff::/65", "2001:db8:abcd:1234:8000::/65"),
        ("ffff::1/0", "::/0"),
    ])
    func parse_clearsHostBits(_ text: String, _ expected: String) throws {
        let block = try #require(CIDR(text))
        #expect(block.description == expected)
        #expect(CIDR(expected) == block)
    }

    @Test(arguments: ["1.2.3.4/33", "1.2.3.4/64", "1.2.3.4/128", "::/129", "2001:db8::/200", "1.2.3.4/99999999999999999999999"])
    func parse_whenPrefixOutOfRangeForFamily_isNil(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test(arguments: ["", "/", "/8", "hello", "hello/8", "10.0.0/8", "300.0.0.0/8", "::g/64", "10.0.0.0 /8", "01.0.0.0/8", ":::/64"])
    func parse_whenAddressIsGarbage_isNil(_ text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test(arguments: [
        "10.0.0.0/", "10.0.0.0/a", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8 ",
        "10.0.0.0/0x8", "10.0.0.0/8/8", "10.0.0.0/8.0", "2001:db8::/3e", "10.0.0.0/\u{FF18}",
    ])
    func parse_whenPrefixIsNotDigits_isNil(_ text: String) {
        #expect(CIDR(text) == nil)
    }
}

@Suite struct CIDRContainsTests {
    @Test(arguments: [
        ("10.0.0.0/8", ["10.0.0.0", "10.255.255.255", "10.1.2.3"], ["9.255.255.255", "11.0.0.0"]),
        ("192.168.32.0/20", ["192.168.32.0", "192.168.47.255"], ["192.168.31.255", "192.168.48.0"]),
        ("1.2.3.4/32", ["1.2.3.4"], ["1.2.3.3", "1.2.3.5"]),
        ("128.0.0.0/1", ["128.0.0.0", "255.255.255.255"], ["127.255.255.255"]),
        ("2001:db8::/32", ["2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"], ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"]),
        (
            "2001:db8:abcd:1200::/56", ["2001:db8:abcd:1200::", "2001:db8:abcd:12ff:ffff:ffff:ffff:ffff"],
            ["2001:db8:abcd:11ff:ffff:ffff:ffff:ffff", "2001:db8:abcd:1300::"]
        ),
        ("2001:db8::8000:0:0:0/65", ["2001:db8::8000:0:0:0", "2001:db8::ffff:ffff:ffff:ffff"], ["2001:db8::7fff:ffff:ffff:ffff", "2001:db8:0:1::"]),
        ("2001:db8::/127", ["2001:db8::", "2001:db8::1"], ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db8::2"]),
        ("::1/128", ["::1"], ["::", "::2"]),
    ])
    func contains_atBlockBoundaries(_ block: String, _ inside: [String], _ outside: [String]) throws {
        let cidr = try #require(CIDR(block))
        for text in inside { #expect(cidr.contains(try #require(IPAddress(text))), "\(text) in \(block)") }
        for text in outside { #expect(!cidr.contains(try #require(IPAddress(text))), "\(text) not in \(block)") }
    }

    @Test func contains_whenIPv4SlashZero_matchesEveryIPv4AndNoIPv6() throws {
        let all = try #require(CIDR("0.0.0.0/0"))
        for text in ["0.0.0.0", "1.2.3.4", "127.0.0.1", "255.255.255.255"] {
            #expect(all.contains(try #require(IPAddress(text))), "\(text)")
        }
        for text in ["::", "::1", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1.2.3.4"] {
            #expect(!all.contains(try #require(IPAddress(text))), "\(text)")
        }
    }

    @Test func contains_whenIPv6SlashZero_matchesEveryIPv6AndNoIPv4() throws {
        let all = try #require(CIDR("::/0"))
        for text in ["::", "::1", "2001:db8::1", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::1.2.3.4"] {
            #expect(all.contains(try #require(IPAddress(text))), "\(text)")
        }
        for text in ["0.0.0.0", "1.2.3.4", "255.255.255.255", "::ffff:10.0.0.1"] {
            #expect(!all.contains(try #require(IPAddress(text))), "\(text)")
        }
    }

    @Test(arguments: [
        // IPv6 addresses that share the low 32 bits with the IPv4 block's addresses.
        ("10.0.0.0/8", "::10.0.0.1"),
        ("10.0.0.0/8", "64:ff9b::10.0.0.1"),
        ("10.0.0.0/8", "a00::"),
        ("1.2.3.4/32", "::102:304"),
        // IPv6 blocks whose raw bits cover the IPv4-mapped range.
        ("::/64", "1.2.3.4"),
        ("::/80", "10.0.0.1"),
        ("::/8", "0.0.0.0"),
    ])
    func contains_neverCrossesAddressFamilies(_ block: String, _ address: String) throws {
        let cidr = try #require(CIDR(block))
        #expect(!cidr.contains(try #require(IPAddress(address))))
    }

    @Test func arrayContainsAddress_whenAnyBlockMatches() throws {
        let blocks = try ["10.0.0.0/8", "192.168.0.0/16", "fc00::/7"].map { try #require(CIDR($0)) }
        for text in ["10.1.2.3", "192.168.255.1", "fd12:3456::1", "fc00::"] {
            #expect(blocks.containsAddress(try #require(IPAddress(text))), "\(text)")
        }
        for text in ["172.16.0.1", "192.169.0.0", "2001:db8::1", "fe00::"] {
            #expect(!blocks.containsAddress(try #require(IPAddress(text))), "\(text)")
        }
        #expect(![CIDR]().containsAddress(try #require(IPAddress("10.1.2.3"))))
    }
}
