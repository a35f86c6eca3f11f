import ShortLinkCore
import Testing

@testable import RedirectServer

/// Request line, request-target, line endings, framing and pipelining.
@Suite struct RequestHeadParserTests {
    static let typical =
        "GET /abc1234 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
        + "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
        + "Referer: https://example.org/page\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n"

    @Test func parse_whenTypicalBrowserRequest_returnsAllFields() throws {
        let parsed = ParsedRequest(Self.typical)
        let head = try #require(parsed.head)
        #expect(head.method == .get)
        #expect(head.isHTTP11)
        #expect(head.keepAlive)
        #expect(head.headLength == parsed.bytes.count)
        #expect(parsed.text(head.path) == "/abc1234")
        #expect(head.query == nil)
        #expect(head.authority == nil)
        #expect(parsed.text(\.host) == "127.0.0.1:8080")
        #expect(
            parsed.text(\.captured[.userAgent])
                == "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
        )
        #expect(parsed.text(\.captured[.referer]) == "https://example.org/page")
        #expect(parsed.text(\.captured[.acceptLanguage]) == "en-US,en;q=0.9")
        #expect(head.captured[.secPurpose] == nil && head.captured[.purpose] == nil && head.captured[.xPurpose] == nil && head.captured[.xMoz] == nil)
        #expect(head.forwardedFor == nil && head.forwarded == nil)
    }

    @Test func parse_whenEmptyBuffer_returnsIncomplete() {
        #expect(parseBytes([]) == .incomplete)
    }

    @Test(arguments: [
        "G", "GET", "GET ", "GET /a", "GET /a ", "GET /a HTTP/1.", "GET /a HTTP/1.1", "GET /a HTTP/1.1\r",
        "GET /a HTTP/1.1\r\n", "GET /a HTTP/1.1\r\nHost", "GET /a HTTP/1.1\r\nHost: x", "GET /a HTTP/1.1\r\nHost: x\r",
        "GET /a HTTP/1.1\r\nHost: x\r\n", "GET /a HTTP/1.1\r\nHost: x\r\n\r", "\r", "\r\n", "\r\n\r\nGET",
    ])
    func parse_whenHeadNotFinished_returnsIncomplete(_ text: String) {
        #expect(ParsedRequest(text).result == .incomplete)
    }

    // MARK: Method

    @Test func parse_whenHeadMethod_returnsHead() throws {
        #expect(try #require(ParsedRequest(request("Host: a")).head).method == .get)
        let head = try #require(ParsedRequest("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n").head)
        #expect(head.method == .head)
    }

    @Test(arguments: ["POST", "get", "Get", "head", "GETS", "HEADS", "GE", "OPTIONS", "M-SEARCH", "!#$%&'*+-.^_`|~09azAZ"])
    func parse_whenOtherMethodToken_returnsOther(_ method: String) throws {
        let head = try #require(ParsedRequest("\(method) / HTTP/1.1\r\nHost: a\r\n\r\n").head)
        #expect(head.method == .other)
    }

    @Test(arguments: [
        " GET / HTTP/1.1", "G(T / HTTP/1.1", "GE\u{7F}T / HTTP/1.1", "GÉT / HTTP/1.1", "G@T / HTTP/1.1",
        "GET\t/ HTTP/1.1", "GE\0T / HTTP/1.1", "GET:/ HTTP/1.1",
    ])
    func parse_whenMethodNotAToken_returnsMalformed(_ line: String) {
        #expect(ParsedRequest(line + "\r\nHost: a\r\n\r\n").result == .invalid(.malformed))
    }

    // MARK: Spacing and version

    @Test(arguments: [
        "GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", "GET /HTTP/1.1", "GET / HTTP/1.1\t",
        "GET\t/\tHTTP/1.1", "GET /", "GET / ", "GET", "GET / HTTP/1.1 extra",
    ])
    func parse_whenRequestLineSpacingWrong_returnsMalformed(_ line: String) {
        #expect(ParsedRequest(line + "\r\nHost: a\r\n\r\n").result == .invalid(.malformed))
    }

    @Test(arguments: [
        "HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/1.10", "HTTP/1.1x", "HTTP/11", "http/1.1", "HTTP/1",
        "HTTPS/1.1", "HTTP/1.01", "HTTP/ 1.1",
    ])
    func parse_whenVersionNotHTTP10Or11_returnsMalformed(_ version: String) {
        #expect(ParsedRequest("GET / \(version)\r\nHost: a\r\n\r\n").result == .invalid(.malformed))
    }

    @Test func parse_whenHTTP10_returnsNotHTTP11() throws {
        let head = try #require(ParsedRequest("GET /x HTTP/1.0\r\n\r\n").head)
        #expect(!head.isHTTP11)
        #expect(head.host == nil)
    }

    @Test(arguments: ["GET * HTTP/1.1\r\n", "GET / HTTP/2.0", "GET / HTTP/1.1x", "GET / HTTP/1.1\n", "GET  /", "\n", "\rG", "\r\n\rG"])
    func parse_whenRequestLineAlreadyInvalid_returnsMalformedWithoutWaiting(_ prefix: String) {
        #expect(ParsedRequest(prefix).result == .invalid(.malformed))
    }

    // MARK: Origin-form target

    @Test(
        arguments: [
            // target, path, query (nil = no '?')
            ("/", "/", nil), ("/abc", "/abc", nil), ("/a?b=1&c=2", "/a", "b=1&c=2"), ("/a?", "/a", ""), ("/?", "/", ""),
            ("/a?b?c", "/a", "b?c"), ("/a#frag", "/a", nil), ("/a?q#frag", "/a", "q"), ("/a#f?x", "/a", nil),
            ("/a?#", "/a", ""), ("/#", "/", nil), ("//double", "//double", nil), ("/%2F~!$&'()*+,;=:@", "/%2F~!$&'()*+,;=:@", nil),
        ] as [(String, String, String?)])
    func parse_whenOriginFormTarget_returnsPathAndQuery(_ target: String, _ path: String, _ query: String?) throws {
        let parsed = ParsedRequest(request("Host: a", target: target))
        let head = try #require(parsed.head)
        #expect(parsed.text(head.path) == path)
        #expect(parsed.text(head.query) == query)
        #expect(head.authority == nil)
    }

    @Test func parse_whenQueryPresent_returnsRangesAtTheirOffsets() throws {
        let head = try #require(ParsedRequest("GET /ab?cd HTTP/1.1\r\nHost: a\r\n\r\n").head)
        #expect(head.path == ByteRange(start: 4, count: 3))
        #expect(head.query == ByteRange(start: 8, count: 2))
    }

    // MARK: Absolute-form target

    @Test(
        arguments: [
            // target, authority, path, query
            ("http://example.com/p?q", "example.com", "/p", "q"), ("https://h:8080/a/b", "h:8080", "/a/b", nil),
            ("HTTP://H/", "H", "/", nil), ("hTTpS://h/x", "h", "/x", nil), ("http://h", "h", "", nil),
            ("http://h?x=1", "h", "", "x=1"), ("http://h#f", "h", "", nil), ("http://h/p#f?x", "h", "/p", nil),
            ("http://[::1]:80/p", "[::1]:80", "/p", nil), ("http://h?", "h", "", ""),
        ] as [(String, String, String, String?)])
    func parse_whenAbsoluteFormTarget_returnsAuthorityPathAndQuery(
        _ target: String, _ authority: String, _ path: String, _ query: String?
    ) throws {
        let parsed = ParsedRequest(request("Host: a", target: target))
        let head = try #require(parsed.head)
        #expect(parsed.text(head.authority) == authority)
        #expect(parsed.text(head.path) == path)
        #expect(parsed.text(head.query) == query)
    }

    @Test func parse_whenAbsoluteFormWithoutPath_returnsEmptyPathAfterAuthority() throws {
        let head = try #require(ParsedRequest("GET http://host?q HTTP/1.1\r\nHost: a\r\n\r\n").head)
        #expect(head.authority == ByteRange(start: 11, count: 4))
        #expect(head.path == ByteRange(start: 15, count: 0))
        #expect(head.query == ByteRange(start: 16, count: 1))
    }

    @Test(arguments: [
        "*", "foo", "example.com:443", "example.com", "http:/x", "http//x", "http:x", "http:", "http://",
        "http:///p", "http://?q", "ftp://h/", "httpx://h/", "https//h", "http://user@h/", "http://h\\x/", "http://h{}/",
        "?q", "#f", "%2F",
    ])
    func parse_whenTargetNotOriginOrHttpAbsoluteForm_returnsMalformed(_ target: String) {
        #expect(ParsedRequest(request("Host: a", target: target)).result == .invalid(.malformed))
    }

    @Test(arguments: [UInt8(0x00), 0x09, 0x0B, 0x1F, 0x7F, 0x80, 0xC3, 0xFF])
    func parse_whenTargetHasByteOutsideVisibleASCII_returnsMalformed(_ byte: UInt8) {
        let bytes = bytesOf("GET /a") + [byte] + bytesOf("b HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(parseBytes(bytes) == .invalid(.malformed))
    }

    // MARK: Line endings and leading empty lines

    @Test func parse_whenLeadingEmptyLines_skipsThemAndCountsThemInHeadLength() throws {
        let parsed = ParsedRequest("\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try #require(parsed.head)
        #expect(head.headLength == parsed.bytes.count)
        #expect(head.path == ByteRange(start: 8, count: 2))
        #expect(parsed.text(\.host) == "a")
    }

    @Test(arguments: [
        "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", "\r\rGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r GET / HTTP/1.1\r\nHost: a\r\n\r\n", "\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\nHost: a\r\n\r\n", "GET / HTTP/1.1\rHost: a\r\n\r\n", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\n\n", "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\nb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: 1\rY: 2\r\n\r\n", "GET / HTTP/1.1\r\n\n", "GET / HTTP/1.1\r\nHost: a\r\n\rX",
    ])
    func parse_whenBareCROrLF_returnsMalformed(_ text: String) {
        #expect(ParsedRequest(text).result == .invalid(.malformed))
    }

    // MARK: Pipelining

    @Test func parse_whenTwoPipelinedRequests_parsesFirstThenSecondFromHeadLength() throws {
        let first = "GET /one?x HTTP/1.1\r\nHost: a\r\nUser-Agent: first\r\n\r\n"
        let second = "\r\nHEAD /two HTTP/1.0\r\nUser-Agent: second\r\nConnection: keep-alive\r\n\r\n"
        let bytes = bytesOf(first + second)
        let firstHead = try #require(ParsedRequest(bytes: bytes).head)
        #expect(firstHead.headLength == first.utf8.count)

        let (secondResult, secondText): (RequestHeadParseResult, [UInt8]) = bytes.withUnsafeBytes { buffer in
            let rest = UnsafeRawBufferPointer(rebasing: buffer[firstHead.headLength...])
            return (RequestHeadParser.parse(rest, limits: RequestHeadLimits()), Array(rest))
        }
        guard case .complete(let secondHead) = secondResult else {
            Issue.record("second request: \(secondResult)")
            return
        }
        let second2 = ParsedRequest(bytes: secondText)
        #expect(second2.result == secondResult)
        #expect(secondHead.method == .head)
        #expect(!secondHead.isHTTP11)
        #expect(secondHead.keepAlive)
        #expect(secondHead.headLength == second.utf8.count)
        #expect(second2.text(secondHead.path) == "/two")
        #expect(second2.text(secondHead.captured[.userAgent]) == "second")
    }

    @Test func parse_whenCompleteHeadFollowedByGarbage_ignoresTheGarbage() {
        let head = request("Host: a")
        let alone = ParsedRequest(head).result
        #expect(ParsedRequest(head + "\0\0garbage\r\n").result == alone)
        #expect(ParsedRequest(head + "GET").result == alone)
    }
}
