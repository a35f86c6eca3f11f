import ShortLinkCore
import Testing

@testable import RedirectServer

/// Header fields: syntax, recognition, trimming, Host, Connection, Content-Length and Transfer-Encoding.
@Suite struct RequestHeadParserHeaderTests {
    // MARK: Recognised fields

    @Test(arguments: storedHeaderNames.map(\.field).filter { $0 != .host })
    func parse_whenStoredHeaderPresent_returnsItsValue(_ field: KnownHeaderField) throws {
        let name = try #require(storedHeaderNames.first { $0.field == field }).name
        let parsed = ParsedRequest(request("Host: h", "\(name): value of \(name)", "X-Other: 1"))
        let keyPath = try #require(storedField(field))
        #expect(parsed.text(keyPath) == "value of \(name)")
        // Every other stored field stays nil.
        for (_, other) in storedHeaderNames where other != field && other != .host {
            #expect(parsed.text(try #require(storedField(other))) == nil)
        }
    }

    @Test(arguments: storedHeaderNames.map(\.field).filter { $0 != .host })
    func parse_whenStoredHeaderAbsent_returnsNil(_ field: KnownHeaderField) throws {
        let head = try #require(ParsedRequest(request("Host: h", "Accept: */*")).head)
        #expect(head[keyPath: try #require(storedField(field))] == nil)
    }

    @Test(arguments: [
        ("HOST: a", KnownHeaderField.host), ("host: a", .host), ("hOsT: a", .host),
        ("USER-AGENT: a", .captured(.userAgent)), ("user-agent: a", .captured(.userAgent)), ("REFERER: a", .captured(.referer)),
        ("accept-LANGUAGE: a", .captured(.acceptLanguage)), ("SEC-purpose: a", .captured(.secPurpose)), ("PURPOSE: a", .captured(.purpose)),
        ("x-PURPOSE: a", .captured(.xPurpose)), ("X-MOZ: a", .captured(.xMoz)), ("x-forwarded-FOR: a", .forwardedFor),
        ("FORWARDED: a", .forwarded),
    ])
    func parse_whenHeaderNameInOtherCase_recognisesIt(_ line: String, _ field: KnownHeaderField) throws {
        let text = field == .host ? request(line) : request("Host: h", line)
        #expect(ParsedRequest(text).text(try #require(storedField(field))) == "a")
    }

    @Test(arguments: [
        "Hosts: x", "Hast: x", "X-Mox: x", "Referrer: x", "Referex: x", "Purposes: x", "X-Forwarded-Fox: x",
        "Forwardedd: x", "Sec-Purposf: x", "User_Agent: x", "Accept-Languagf: x", "X-Purposd: x", "Xpurpose: x",
    ])
    func parse_whenNameOnlyResemblesAStoredHeader_ignoresIt(_ line: String) throws {
        let head = try #require(ParsedRequest(request("Host: h", line)).head)
        let parsed = ParsedRequest(request("Host: h", line))
        #expect(parsed.text(\.host) == "h")
        for (_, field) in storedHeaderNames where field != .host {
            #expect(head[keyPath: try #require(storedField(field))] == nil)
        }
    }

    // MARK: Values

    @Test(arguments: [
        ("Referer:x", "x"), ("Referer: x", "x"), ("Referer:  \t x \t ", "x"), ("Referer:\tx\t", "x"),
        ("Referer: a b\tc", "a b\tc"), ("Referer: \u{e9}t\u{e9}", "\u{e9}t\u{e9}"),
        ("Referer: ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}", "~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}"),
    ])
    func parse_whenValueHasOptionalWhitespace_trimsBothEnds(_ line: String, _ value: String) {
        #expect(ParsedRequest(request("Host: h", line)).text(\.captured[.referer]) == value)
    }

    @Test(arguments: ["Referer:", "Referer: ", "Referer: \t \t"])
    func parse_whenValueEmpty_returnsEmptyRangeAtLineEnd(_ line: String) throws {
        let text = request("Host: h", line)
        let head = try #require(ParsedRequest(text).head)
        let crOffset = text.utf8.count - 4  // "...<line>\r\n\r\n"
        #expect(head.captured[.referer] == ByteRange(start: crOffset, count: 0))
    }

    @Test func parse_whenValueHasObsText_acceptsIt() throws {
        let bytes = bytesOf("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: a") + [0x80, 0xFF, 0xC3, 0xA9] + bytesOf("\r\n\r\n")
        let parsed = ParsedRequest(bytes: bytes)
        #expect(parsed.slice(parsed.head?.captured[.userAgent]) == bytesOf("a") + [0x80, 0xFF, 0xC3, 0xA9])
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F])
    func parse_whenValueHasControlByte_returnsMalformed(_ byte: UInt8) {
        let bytes = bytesOf("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: abcdefghij") + [byte] + bytesOf("klmnop\r\n\r\n")
        #expect(parseBytes(bytes) == .invalid(.malformed))
        let atStart = bytesOf("GET / HTTP/1.1\r\nHost: h\r\nX-Other:") + [byte] + bytesOf("\r\n\r\n")
        #expect(parseBytes(atStart) == .invalid(.malformed))
    }

    @Test(arguments: [" folded", "\tfolded"])
    func parse_whenObsFold_returnsMalformed(_ continuation: String) {
        #expect(ParsedRequest(request("Host: h", "User-Agent: a", continuation)).result == .invalid(.malformed))
        #expect(ParsedRequest(request(" Host: h")).result == .invalid(.malformed))
    }

    @Test(arguments: [
        "Host : h", "Host\t: h", "Host h", ": h", " : h", "Ho st: h", "Ho(st: h", "H\u{f6}st: h", "Host\0: h",
        "Host;: h", "Host/x: h", "@: h",
    ])
    func parse_whenFieldNameInvalid_returnsMalformed(_ line: String) {
        #expect(ParsedRequest(request("X-A: 1", line)).result == .invalid(.malformed))
    }

    @Test func parse_whenFieldNameIsAnyToken_accepts() {
        #expect(ParsedRequest(request("Host: h", "!#$%&'*+-.^_`|~09azAZ: v", "a: b")).head != nil)
    }

    // MARK: Repeated fields

    @Test func parse_whenForwardingHeadersRepeated_keepsLastOccurrence() {
        let parsed = ParsedRequest(
            request(
                "X-Forwarded-For: 1.1.1.1", "Forwarded: for=a", "Host: h", "x-forwarded-for: 6.6.6.6, 10.0.0.1",
                "FORWARDED: for=b;proto=https"))
        #expect(parsed.text(\.forwardedFor) == "6.6.6.6, 10.0.0.1")
        #expect(parsed.text(\.forwarded) == "for=b;proto=https")
    }

    @Test func parse_whenOtherStoredHeaderRepeated_keepsLastOccurrence() {
        let parsed = ParsedRequest(request("Host: h", "User-Agent: one", "Referer: r1", "User-Agent: two", "Referer: r2"))
        #expect(parsed.text(\.captured[.userAgent]) == "two")
        #expect(parsed.text(\.captured[.referer]) == "r2")
    }

    // MARK: Host

    @Test func parse_whenHTTP11WithoutHost_returnsMalformed() {
        #expect(ParsedRequest(request("User-Agent: a")).result == .invalid(.malformed))
        #expect(ParsedRequest("GET / HTTP/1.1\r\n\r\n").result == .invalid(.malformed))
    }

    @Test(arguments: ["HTTP/1.1", "HTTP/1.0"])
    func parse_whenHostRepeated_returnsMalformed(_ version: String) {
        #expect(ParsedRequest(request("Host: a", "host: a", version: version)).result == .invalid(.malformed))
        #expect(ParsedRequest(request("Host: a", "X: 1", "HOST: b", version: version)).result == .invalid(.malformed))
    }

    @Test func parse_whenHTTP10WithOrWithoutHost_accepts() {
        #expect(ParsedRequest(request("X: 1", version: "HTTP/1.0")).head?.host == nil)
        #expect(ParsedRequest(request("Host: a", version: "HTTP/1.0")).text(\.host) == "a")
    }

    @Test(arguments: ["example.com", "example.com:8080", "127.0.0.1", "[::1]:443", "xn--bcher-kva.example", "a_b~c!$&'()*+,;=%20", ""])
    func parse_whenHostValueUsesHostCharacters_accepts(_ host: String) {
        #expect(ParsedRequest(request("Host: \(host)")).text(\.host) == host)
    }

    @Test(arguments: ["a b", "a/b", "user@h", "h?x", "h#x", "h\"", "h<", "h\\", "b\u{fc}cher.example", "h{}", "h|x", "h^"])
    func parse_whenHostValueHasOtherCharacters_returnsMalformed(_ host: String) {
        #expect(ParsedRequest(request("Host: \(host)")).result == .invalid(.malformed))
    }

    // MARK: Connection / keep-alive

    @Test(
        arguments: [
            // version, Connection header lines, expected keepAlive
            ("HTTP/1.1", [], true), ("HTTP/1.1", ["close"], false), ("HTTP/1.1", ["keep-alive"], true),
            ("HTTP/1.0", [], false), ("HTTP/1.0", ["close"], false), ("HTTP/1.0", ["keep-alive"], true),
            ("HTTP/1.1", ["keep-alive, close"], false), ("HTTP/1.0", ["close, keep-alive"], false),
            ("HTTP/1.0", ["keep-alive", "close"], false), ("HTTP/1.1", ["close", "keep-alive"], false),
            ("HTTP/1.1", ["CLOSE"], false), ("HTTP/1.0", ["Keep-Alive"], true), ("HTTP/1.0", [" \tKEEP-ALIVE\t "], true),
            ("HTTP/1.1", ["upgrade,  close  ,te"], false), ("HTTP/1.1", [",,close,,"], false),
            ("HTTP/1.0", ["upgrade", "keep-alive"], true), ("HTTP/1.1", ["closed"], true), ("HTTP/1.1", ["close-ish, xclose"], true),
            ("HTTP/1.0", ["keep-alives"], false), ("HTTP/1.0", ["keep alive"], false), ("HTTP/1.1", [""], true),
            ("HTTP/1.1", ["clo se"], true), ("HTTP/1.0", ["keep-alive;x"], false),
        ] as [(String, [String], Bool)])
    func parse_whenConnectionHeaderVaries_returnsKeepAlive(_ version: String, _ connection: [String], _ expected: Bool) throws {
        var text = "GET / \(version)\r\nHost: h\r\n"
        for value in connection { text += "Connection: \(value)\r\n" }
        let head = try #require(ParsedRequest(text + "\r\n").head)
        #expect(head.keepAlive == expected)
    }

    // MARK: Body framing

    @Test(arguments: ["0", "00", " 0 ", "\t000\t"])
    func parse_whenContentLengthZero_accepts(_ value: String) {
        #expect(ParsedRequest(request("Host: h", "Content-Length: \(value)")).head != nil)
    }

    @Test(arguments: ["1", "5", " 42 ", "0001", "9223372036854775807"])
    func parse_whenContentLengthPositive_returnsBodyNotAllowed(_ value: String) {
        #expect(ParsedRequest(request("Host: h", "Content-Length: \(value)")).result == .invalid(.bodyNotAllowed))
    }

    @Test(arguments: [
        "", " ", "abc", "-1", "+1", "1 2", "0x0", "0,0", "1,1", "0.0", "9223372036854775808",
        "99999999999999999999999", "\u{661}", "0;",
    ])
    func parse_whenContentLengthNotDigits_returnsMalformed(_ value: String) {
        #expect(ParsedRequest(request("Host: h", "Content-Length: \(value)")).result == .invalid(.malformed))
    }

    @Test func parse_whenContentLengthRepeated_acceptsOnlySameValue() {
        #expect(ParsedRequest(request("Host: h", "Content-Length: 0", "content-length: 0")).head != nil)
        #expect(ParsedRequest(request("Host: h", "Content-Length: 0", "Content-Length: 00")).head != nil)
        #expect(ParsedRequest(request("Host: h", "Content-Length: 0", "Content-Length: 7")).result == .invalid(.malformed))
    }

    @Test(arguments: ["chunked", "identity", "gzip, chunked", "", "CHUNKED"])
    func parse_whenTransferEncodingPresent_returnsBodyNotAllowed(_ value: String) {
        #expect(ParsedRequest(request("Host: h", "Transfer-Encoding: \(value)")).result == .invalid(.bodyNotAllowed))
        #expect(ParsedRequest(request("Host: h", "transfer-ENCODING: \(value)")).result == .invalid(.bodyNotAllowed))
    }
}
