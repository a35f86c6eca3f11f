import Foundation
import NIOCore
import ShortLinkCore
import Testing

@testable import RedirectServer

@Suite struct RedirectHandlerTests {
    @Test func get_whenCodeKnown_returnsPreEncoded302AndRecordsClick() throws {
        let id = EntityID.random()
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/landing", id: id)])
        let response = try edge.send(httpRequest("/abc", headers: ["User-Agent: TestBrowser/1.0", "Referer: https://ref.example/x"]))
        #expect(
            response
                == "HTTP/1.1 302 Found\r\nLocation: https://example.com/landing\r\nCache-Control: private, max-age=0\r\nContent-Length: 0\r\n\r\n"
        )
        let clicks = try edge.clicks()
        #expect(clicks.count == 1)
        #expect(clicks.first?.linkID == id)
        #expect(clicks.first?.method == .get)
        #expect(clicks.first?.userAgent == "TestBrowser/1.0")
        #expect(clicks.first?.referer == "https://ref.example/x")
        #expect(clicks.first?.clientIP == IPAddress("198.51.100.20"))
        #expect(clicks.first?.id.version == 7)
        #expect(edge.isOpen)
    }

    @Test(arguments: [RedirectStatus.movedPermanently, .found, .temporaryRedirect, .permanentRedirect])
    func get_whenLinkHasStatus_answersWithIt(status: RedirectStatus) throws {
        let edge = try EdgeHarness(links: [link("s", "https://example.com/", status: status)])
        let response = try edge.send(httpRequest("/s"))
        #expect(response.hasPrefix("HTTP/1.1 \(status.rawValue) \(status.reasonPhrase)\r\nLocation: https://example.com/\r\n"))
    }

    @Test func get_whenCodeUnknown_returns404AndNoClick() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send(httpRequest("/abd"))
        #expect(response.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(response.hasSuffix("\r\n\r\nNot Found\n"))
        #expect(try edge.clicks().isEmpty)
        #expect(edge.isOpen)
    }

    @Test func get_whenCodeDiffersInCase_returns404() throws {
        let edge = try EdgeHarness(links: [link("AbC", "https://example.com/")])
        #expect(try edge.send(httpRequest("/abc")).hasPrefix("HTTP/1.1 404"))
        #expect(try edge.send(httpRequest("/AbC")).hasPrefix("HTTP/1.1 302"))
    }

    @Test func get_whenPathHasTrailingSlash_resolvesTheSameCode() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/t")])
        #expect(try edge.send(httpRequest("/abc/")).contains("Location: https://example.com/t\r\n"))
        #expect(try edge.send(httpRequest("/abc//")).hasPrefix("HTTP/1.1 404"))
    }

    @Test func get_whenCodeHasIllegalCharactersOrIsTooLong_returns404() throws {
        let long = String(repeating: "a", count: 65)
        let edge = try EdgeHarness(links: [link(String(repeating: "a", count: 64), "https://example.com/")])
        #expect(try edge.send(httpRequest("/" + String(repeating: "a", count: 64))).hasPrefix("HTTP/1.1 302"))
        #expect(try edge.send(httpRequest("/" + long)).hasPrefix("HTTP/1.1 404"))
        #expect(try edge.send(httpRequest("/a%20b")).hasPrefix("HTTP/1.1 404"))
        #expect(try edge.send(httpRequest("/")).hasPrefix("HTTP/1.1 404"))
        #expect(try edge.send(httpRequest("/a/b")).hasPrefix("HTTP/1.1 404"))
    }

    @Test func head_whenCodeKnown_returnsSameHeadersNoBodyAndHeadClick() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let get = try edge.send(httpRequest("/abc"))
        let head = try edge.send(httpRequest("/abc", method: "HEAD"))
        #expect(head == get)
        #expect(try edge.clicks().map(\.method) == [.get, .head])
        let missing = try edge.send(httpRequest("/nope", method: "HEAD"))
        #expect(missing.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(missing.contains("Content-Length: 10\r\n"))
        #expect(missing.hasSuffix("\r\n\r\n"))
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
    func otherMethod_returns405WithAllowAndKeepsConnection(method: String) throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send(httpRequest("/abc", method: method))
        #expect(response.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(response.contains("Allow: GET, HEAD\r\n"))
        #expect(try edge.clicks().isEmpty)
        #expect(edge.isOpen)
    }

    @Test func get_whenLinkExpired_returns410AndNoClick() throws {
        let past = Timestamp.now().adding(seconds: -60)
        let future = Timestamp.now().adding(seconds: 3_600)
        let edge = try EdgeHarness(links: [
            link("old", "https://example.com/", expiresAt: past), link("new", "https://example.com/", expiresAt: future),
        ])
        #expect(try edge.send(httpRequest("/old")).hasPrefix("HTTP/1.1 410 Gone\r\n"))
        #expect(try edge.send(httpRequest("/new")).hasPrefix("HTTP/1.1 302 Found\r\n"))
        #expect(try edge.clicks().count == 1)
    }

    @Test func forwardQuery_whenTargetHasNoQuery_appendsWithQuestionMark() throws {
        let edge = try EdgeHarness(links: [link("f", "https://example.com/p", forwardQuery: true)])
        #expect(try edge.send(httpRequest("/f?utm_source=x&b=2")).contains("\r\nLocation: https://example.com/p?utm_source=x&b=2\r\n"))
        #expect(try edge.send(httpRequest("/f")).contains("\r\nLocation: https://example.com/p\r\n"))
        #expect(try edge.send(httpRequest("/f?")).contains("\r\nLocation: https://example.com/p\r\n"))
    }

    @Test func forwardQuery_whenTargetHasQuery_appendsWithAmpersand() throws {
        let edge = try EdgeHarness(links: [link("f", "https://example.com/p?a=1", forwardQuery: true)])
        #expect(try edge.send(httpRequest("/f?b=2")).contains("\r\nLocation: https://example.com/p?a=1&b=2\r\n"))
    }

    @Test func forwardQuery_whenTargetHasFragment_insertsBeforeIt() throws {
        let edge = try EdgeHarness(links: [
            link("f", "https://example.com/p#top", forwardQuery: true),
            link("g", "https://example.com/p?a=1#top", forwardQuery: true),
        ])
        #expect(try edge.send(httpRequest("/f?b=2")).contains("\r\nLocation: https://example.com/p?b=2#top\r\n"))
        #expect(try edge.send(httpRequest("/g?b=2")).contains("\r\nLocation: https://example.com/p?a=1&b=2#top\r\n"))
    }

    @Test func forwardQuery_whenLinkDoesNotForward_dropsTheQuery() throws {
        let edge = try EdgeHarness(links: [link("f", "https://example.com/p")])
        #expect(try edge.send(httpRequest("/f?b=2")).contains("\r\nLocation: https://example.com/p\r\n"))
    }

    @Test func pipelinedRequests_areAnsweredInOrder() throws {
        let edge = try EdgeHarness(links: [link("a", "https://example.com/1"), link("b", "https://example.com/2")])
        let response = try edge.send(httpRequest("/a") + httpRequest("/zzz") + httpRequest("/b", method: "HEAD") + httpRequest("/a"))
        let statuses = response.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
        #expect(statuses == ["302", "404", "302", "302"])
        let locations = response.components(separatedBy: "Location: ").dropFirst().map { $0.prefix(21) }
        #expect(locations == ["https://example.com/1", "https://example.com/2", "https://example.com/1"])
        #expect(try edge.clicks().count == 3)
    }

    @Test func requestSplitAcrossReads_isAnsweredOnceComplete() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let whole = httpRequest("/abc", headers: ["User-Agent: Split/1"]) + httpRequest("/abc")
        let cut = whole.index(whole.startIndex, offsetBy: 20)
        #expect(try edge.send(String(whole[..<cut])) == "")
        let response = try edge.send(String(whole[cut...]))
        #expect(response.components(separatedBy: "HTTP/1.1 302").count == 3)
        #expect(try edge.clicks().first?.userAgent == "Split/1")
    }

    @Test func malformedRequest_returns400AndCloses() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send("GET /abc HTTP/1.1\r\nHost go.example\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(response.contains("Connection: close\r\n"))
        #expect(!edge.isOpen)
    }

    @Test func requestWithBody_returns400AndCloses() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send("POST /abc HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(!edge.isOpen)
    }

    @Test func oversizeHeaders_return431AndClose() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let big = "X-Big: " + String(repeating: "x", count: 9_000)
        let response = try edge.send(httpRequest("/abc", headers: [big]))
        #expect(response.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
        #expect(!edge.isOpen)
        #expect(try edge.clicks().isEmpty)
    }

    @Test func oversizeHeaders_return431EvenBeforeTheHeadIsComplete() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send("GET /abc HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "x", count: 9_000))
        #expect(response.hasPrefix("HTTP/1.1 431 "))
        #expect(!edge.isOpen)
    }

    @Test func connectionClose_isHonoured() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let response = try edge.send(httpRequest("/abc", headers: ["Connection: close"]) + httpRequest("/abc"))
        #expect(response.hasPrefix("HTTP/1.1 302 Found\r\n"))
        #expect(response.hasSuffix("Content-Length: 0\r\nConnection: close\r\n\r\n"))
        #expect(response.components(separatedBy: "HTTP/1.1").count == 2)
        #expect(!edge.isOpen)
        #expect(try edge.clicks().count == 1)
    }

    @Test func http10_closesUnlessKeepAliveAsked() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        let kept = try edge.send(httpRequest("/abc", version: "HTTP/1.0", headers: ["Connection: keep-alive"]))
        #expect(kept.hasSuffix("Connection: keep-alive\r\n\r\n"))
        #expect(edge.isOpen)
        let closed = try edge.send(httpRequest("/abc", version: "HTTP/1.0"))
        #expect(closed.hasSuffix("Connection: close\r\n\r\n"))
        #expect(!edge.isOpen)
    }

    @Test func healthzAndRobots_answerFromConfiguration() throws {
        let edge = try EdgeHarness(
            links: [link("healthz", "https://example.com/hijack")],
            configuration: EdgeConfiguration(robotsTxt: "User-agent: *\nAllow: /\n"))
        let health = try edge.send(httpRequest("/healthz"))
        #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(health.hasSuffix("\r\n\r\nok\n"))
        let robots = try edge.send(httpRequest("/robots.txt"))
        #expect(robots.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(robots.hasSuffix("\r\n\r\nUser-agent: *\nAllow: /\n"))
        #expect(try edge.clicks().isEmpty)
    }

    @Test func prefetchAndLanguageHeaders_areCaptured() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")])
        _ = try edge.send(
            httpRequest(
                "/abc",
                headers: [
                    "Sec-Purpose: prefetch;prerender", "Purpose: prefetch", "X-Purpose: preview", "X-Moz: prefetch",
                    "Accept-Language: de-CH, en;q=0.5",
                ]))
        let click = try #require(try edge.clicks().first)
        #expect(click.secPurpose == "prefetch;prerender")
        #expect(click.purpose == "prefetch")
        #expect(click.xPurpose == "preview")
        #expect(click.xMoz == "prefetch")
        #expect(click.acceptLanguage == "de-CH, en;q=0.5")
        #expect(click.userAgent == nil)
        #expect(click.referer == nil)
    }

    @Test func urlWithUnsafeBytes_isPercentEncodedInLocation() throws {
        let edge = try EdgeHarness(links: [link("u", "https://example.com/a b\r\nSet-Cookie: x=1/é")])
        let response = try edge.send(httpRequest("/u"))
        #expect(response.contains("\r\nLocation: https://example.com/a%20b%0D%0ASet-Cookie:%20x=1/%C3%A9\r\n"))
        #expect(!response.contains("\r\nSet-Cookie"))
    }
}
