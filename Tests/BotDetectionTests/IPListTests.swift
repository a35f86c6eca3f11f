import BotDetection
import ShortLinkCore
import Testing

/// Named CIDR lists flag clients by address, after every user-agent rule.
@Suite struct IPListTests {
    private let classifier = BotClassifier(
        rules: .builtIn,
        ipLists: [
            "datacenter": [CIDR("203.0.113.0/24")!, CIDR("2001:db8::/32")!],
            "monitoring": [CIDR("198.51.100.7")!],
        ])

    @Test(arguments: [
        ("203.0.113.45", "ip:datacenter"),
        ("2001:db8::1", "ip:datacenter"),
        ("198.51.100.7", "ip:monitoring"),
    ])
    func classify_whenBrowserFromListedAddress_isIPReason(_ text: String, _ expected: String) throws {
        let address: IPAddress = try #require(IPAddress(text))
        let input = ClassificationInput(userAgent: UserAgentFixtures.chromeWindows, clientIP: address)
        #expect(classifier.classify(input) == .bot(expected))
    }

    @Test(arguments: ["198.51.100.8", "192.0.2.1", "2001:db9::1"])
    func classify_whenBrowserFromOtherAddress_isHuman(_ text: String) throws {
        let address: IPAddress = try #require(IPAddress(text))
        let input = ClassificationInput(userAgent: UserAgentFixtures.chromeWindows, clientIP: address)
        #expect(classifier.classify(input) == .human)
    }

    @Test func classify_whenNoAddress_isHuman() {
        #expect(classifier.classify(ClassificationInput(userAgent: UserAgentFixtures.chromeWindows)) == .human)
    }

    @Test func classify_whenBotFromListedAddress_keepsTheUserAgentReason() throws {
        let address: IPAddress = try #require(IPAddress("203.0.113.45"))
        let input = ClassificationInput(userAgent: "curl/8.4.0", clientIP: address)
        #expect(classifier.classify(input) == .bot("library:curl"))
    }

    @Test func classify_whenAddressInTwoLists_namesTheFirstByName() throws {
        let overlapping = BotClassifier(
            rules: .builtIn, ipLists: ["zeta": [CIDR("10.0.0.0/8")!], "alpha": [CIDR("10.1.0.0/16")!]])
        let address: IPAddress = try #require(IPAddress("10.1.2.3"))
        let input = ClassificationInput(userAgent: UserAgentFixtures.chromeWindows, clientIP: address)
        #expect(overlapping.classify(input) == .bot("ip:alpha"))
    }
}
