import ShortLinkApp
import ShortLinkCore
import Storage
import Testing

@testable import AdminAPI

/// The pure pieces: URL rules, times, cursors, configuration.
@Suite struct RulesTests {
    static let rules = TargetURLRules(
        selfHosts: SelfHosts.current(
            publicHost: "sho.rt", listenHosts: ["0.0.0.0", "127.0.0.1"], interfaceAddresses: [IPAddress("10.1.2.3")!, IPAddress("fd00::7")!],
            hostName: "edge-1"))

    @Test(arguments: [
        "https://example.com", "http://example.com/", "HTTPS://Example.com/a?b=c#d", "https://example.com:8443/x",
        "https://10.1.2.4/", "https://128.0.0.1/", "https://1.2.3.4.example/", "https://[2001:db8::7f00:1]/", "https://localhost.example/",
        "https://[2001:db8::1]:8080/x", "https://xn--bcher-kva.example/", "https://bücher.example/", "https://sho.rt.example.com/",
        "https://example.com/%20encoded",
    ])
    func url_accepted(_ url: String) {
        #expect(Self.rules.check(url, field: "originalUrl") == nil)
    }

    @Test(arguments: [
        ("javascript:alert(1)", "url_scheme"), ("JavaScript://x", "url_scheme"), ("data:text/plain,x", "url_scheme"),
        ("file:///etc/passwd", "url_scheme"), ("vbscript:x", "url_scheme"), ("ftp://x.example/", "url_scheme"),
        ("//example.com/x", "url_not_absolute"), ("example.com", "url_not_absolute"), ("http:/example.com", "url_not_absolute"),
        ("https://", "url_host"), ("https://:80/", "url_host"), ("https://[::1/", "url_host"), ("https://a.example:x/", "url_host"),
        ("https://SHO.RT/x", "url_loop"), ("https://sho.rt.:443/x", "url_loop"), ("https://a@sho.rt/", "url_credentials"),
        ("https://user:pw@example.com:8443/x", "url_credentials"), ("https://paypal.com@evil.example/login", "url_credentials"),
        ("https://:@example.com/", "url_credentials"), ("https://evil.example\\@paypal.com/", "url_credentials"),
        ("https://exa\tmple.com/", "url_characters"), ("https://example.com/\u{7F}", "url_characters"), ("", "blank"),
    ])
    func url_refused(_ url: String, _ rule: String) {
        #expect(Self.rules.check(url, field: "originalUrl")?.code == rule)
    }

    /// Every way of writing this machine that passed the old text comparison.
    @Test(arguments: [
        "http://localhost/", "http://LOCALHOST./", "http://app.localhost/", "http://localhost.localdomain/", "http://ｌｏｃａｌｈｏｓｔ/",
        "http://127.0.0.1/", "http://127.1/", "http://127.0.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://0x7f000001/",
        "http://0177.0.0.1/", "http://017700000001/", "http://127.255.255.254:8080/", "http://127.0.0.1./", "http://0/",
        "http://0.0.0.0/", "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
        "http://[::]/", "http://10.1.2.3/", "http://[fd00::7]:8081/", "http://edge-1/", "http://EDGE-1./", "http://sho.rt./",
        "http://１２７.０.０.１/", "http://127。0。0。1/",
    ])
    func url_selfLoopForms_areRefused(_ url: String) {
        #expect(Self.rules.check(url, field: "originalUrl")?.code == "url_loop", "\(url)")
    }

    /// Hosts browsers refuse (a number that is no IPv4 address) are not hosts.
    @Test(arguments: ["http://127.0.0.256/", "http://1.2.3.4.5/", "http://0x100000000/", "http://foo.09/", "http://4294967296/"])
    func url_invalidNumericHosts_areRefused(_ url: String) {
        #expect(Self.rules.check(url, field: "originalUrl")?.code == "url_host", "\(url)")
    }

    @Test func urlHost_parsesTheWHATWGIPv4Forms() {
        let loopback = URLHost.address(IPAddress("127.0.0.1")!)
        for text in ["127.0.0.1", "127.1", "2130706433", "0x7f.0.0.1", "0x7F000001", "0177.0.0.01", "127.0.0.1.", "[::ffff:127.0.0.1]"] {
            #expect(URLHost(text) == loopback, "\(text)")
        }
        #expect(URLHost("192.168.1") == .address(IPAddress("192.168.0.1")!))
        #expect(URLHost("Example.COM..") == .name("example.com"))
        #expect(URLHost("0x") == .address(IPAddress("0.0.0.0")!))
    }

    @Test func selfHosts_listenAddressesCount_andAvatarsMayPointAnywhere() {
        let specific = SelfHosts.current(publicHost: "sho.rt", listenHosts: ["192.0.2.10"], interfaceAddresses: [], hostName: "h")
        #expect(specific.contains(URLHost("192.0.2.10")!))
        #expect(!specific.contains(URLHost("192.0.2.11")!))
        #expect(
            SelfHosts.current(publicHost: nil, listenHosts: ["::"], interfaceAddresses: [IPAddress("2001:db8::5")!], hostName: "h")
                .contains(URLHost("[2001:db8::5]")!))
        #expect(TargetURLRules(selfHosts: .none).check("http://localhost/", field: "avatarUrl") == nil)
    }

    @Test func url_javascriptScheme_isRefused() {
        let url = "javascript:x"
        let rule = "url_scheme"
        #expect(Self.rules.check(url, field: "originalUrl")?.code == rule)
    }

    @Test func url_lengthLimitIsEightKiB() {
        let base = "https://example.com/"
        #expect(Self.rules.check(base + String(repeating: "a", count: 8192 - base.utf8.count), field: "u") == nil)
        #expect(Self.rules.check(base + String(repeating: "a", count: 8193 - base.utf8.count), field: "u")?.code == "url_too_long")
    }

    @Test func iso8601_parsesTheRFC3339Profile() {
        #expect(ISO8601.parse("1970-01-01T00:00:00Z")?.microsecondsSinceEpoch == 0)
        #expect(ISO8601.parse("2026-11-22T10:04:05.123456Z")?.iso8601 == "2026-11-22T10:04:05.123456Z")
        #expect(ISO8601.parse("2026-11-22T12:04:05+02:00")?.iso8601 == "2026-11-22T10:04:05.000000Z")
        #expect(ISO8601.parse("2026-11-22")?.iso8601 == "2026-11-22T00:00:00.000000Z")
        #expect(ISO8601.parse("2024-02-29T00:00:00Z") != nil)
        for bad in ["2023-02-29T00:00:00Z", "2026-13-01", "2026-11-22T25:00:00Z", "2026-11-22T10:04:05", "tomorrow", "2026-11-22T10:04:05.Z"] {
            #expect(ISO8601.parse(bad) == nil, "\(bad)")
        }
    }

    @Test func cursor_roundTripsAndRefusesGarbage() {
        let link = Link(
            id: EntityID.random(),
            fields: LinkFields(shortCode: ShortCode("abc")!, originalURL: "https://a.example/", userID: .random(), clientID: .random()),
            createdAt: Timestamp(microsecondsSinceEpoch: 1_795_000_000_123_456), updatedAt: .now())
        for sort in LinkSort.allCases {
            let cursor = LinkCursor(after: link, sort: sort)
            #expect(LinkCursor(cursor.encoded) == cursor)
        }
        #expect(LinkCursor("bm9wZQ") == nil)
        #expect(LinkCursor("!!!") == nil)
    }

    @Test func shortCodeGenerator_drawsBase62OfTheConfiguredLength() {
        let generator = ShortCodeGenerator(length: 9)
        let codes = (0..<500).map { _ in generator.next().rawValue }
        #expect(codes.allSatisfy { $0.count == 9 && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
        #expect(Set(codes).count == 500)
    }

    @Test func configuration_readsAdminAndAuthKeys() async throws {
        let configuration = try await AppConfiguration.load(
            environment: [
                "SHORTLINKS_ADMIN_ADDR": "0.0.0.0:9091", "SHORTLINKS_PUBLIC_BASE_URL": "https://Sho.rt/",
                "SHORTLINKS_LINKS_CODE_LENGTH": "9", "SHORTLINKS_AUTH_ALLOWED_DOMAINS": "macondo.example, Globex.example",
                "SHORTLINKS_AUTH_OIDC_JWKS_FILE": "/tmp/jwks.json", "SHORTLINKS_AUTH_OIDC_AUDIENCES": "client-1",
                "SHORTLINKS_ADMIN_MAX_TAGS_PER_LINK": "7", "SHORTLINKS_EDGE_ADDR": "192.0.2.1:80",
            ],
            configFile: "/nonexistent.json")
        #expect(configuration.admin.maxTagsPerLink == 7)
        #expect(configuration.admin.edgeListenHost == "192.0.2.1")
        #expect(configuration.admin.host == "0.0.0.0")
        #expect(configuration.admin.port == 9091)
        #expect(configuration.admin.publicBaseURL == "https://Sho.rt")
        #expect(configuration.admin.publicHost == "sho.rt")
        #expect(configuration.admin.codeLength == 9)
        #expect(configuration.admin.auth.allowedDomains == ["macondo.example", "globex.example"])
        #expect(configuration.admin.auth.oidc?.keys == .file("/tmp/jwks.json"))
        #expect(configuration.admin.auth.oidc?.audiences == ["client-1"])
        #expect(configuration.admin.auth.oidc?.issuers == ["https://accounts.google.com", "accounts.google.com"])
        let defaults = try await AppConfiguration.load(environment: [:], configFile: "/nonexistent.json")
        #expect(defaults.admin.host == "127.0.0.1" && defaults.admin.port == 8081)
        #expect(defaults.admin.auth.oidc == nil)
        #expect(defaults.admin.maxTagsPerLink == 100)
        #expect(defaults.admin.edgeListenHost == "0.0.0.0")
        await #expect(throws: (any Error).self) {
            try await AppConfiguration.load(environment: ["SHORTLINKS_ADMIN_MAX_TAGS_PER_LINK": "0"], configFile: "/nonexistent.json")
        }
    }

    @Test func configuration_refusesBadAdminValues() async throws {
        for environment in [
            ["SHORTLINKS_ADMIN_ADDR": "nope"], ["SHORTLINKS_PUBLIC_BASE_URL": "sho.rt"], ["SHORTLINKS_LINKS_CODE_LENGTH": "2"],
            ["SHORTLINKS_AUTH_OIDC_JWKS_URL": "https://idp.example/certs"],
        ] {
            await #expect(throws: AppError.self, "\(environment)") {
                _ = try await AppConfiguration.load(environment: environment, configFile: "/nonexistent.json")
            }
        }
    }
}
