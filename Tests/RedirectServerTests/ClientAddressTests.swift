import ShortLinkCore
import Testing

@testable import RedirectServer

@Suite struct ClientAddressTests {
    let proxies = [CIDR("10.0.0.0/8")!, CIDR("2001:db8::/32")!]

    @Test func forwardedFor_whenPeerUntrusted_isIgnored() throws {
        let edge = try EdgeHarness(
            links: [link("abc", "https://example.com/")], configuration: EdgeConfiguration(trustedProxies: proxies),
            peer: "198.51.100.9")
        _ = try edge.send(httpRequest("/abc", headers: ["X-Forwarded-For: 203.0.113.5"]))
        #expect(try edge.clicks().first?.clientIP == IPAddress("198.51.100.9"))
    }

    @Test func forwardedFor_whenPeerTrusted_usesRightmostUntrustedHop() throws {
        let edge = try EdgeHarness(
            links: [link("abc", "https://example.com/")], configuration: EdgeConfiguration(trustedProxies: proxies),
            peer: "10.1.2.3")
        _ = try edge.send(httpRequest("/abc", headers: ["X-Forwarded-For: 1.1.1.1, 203.0.113.5, 10.9.9.9"]))
        #expect(try edge.clicks().first?.clientIP == IPAddress("203.0.113.5"))
    }

    @Test func forwardedFor_whenNoProxiesConfigured_isIgnored() throws {
        let edge = try EdgeHarness(links: [link("abc", "https://example.com/")], peer: "10.1.2.3")
        _ = try edge.send(httpRequest("/abc", headers: ["X-Forwarded-For: 203.0.113.5"]))
        #expect(try edge.clicks().first?.clientIP == IPAddress("10.1.2.3"))
    }

    func resolve(peer: String, xff: String? = nil, forwarded: String? = nil) -> IPAddress? {
        func run(_ a: UnsafeRawBufferPointer?, _ b: UnsafeRawBufferPointer?) -> IPAddress? {
            ClientAddressResolver.resolve(peer: IPAddress(peer), trusted: proxies, forwardedFor: a, forwarded: b)
        }
        let xffBytes = xff.map { Array($0.utf8) }
        let fwdBytes = forwarded.map { Array($0.utf8) }
        return (xffBytes ?? []).withUnsafeBytes { a in
            (fwdBytes ?? []).withUnsafeBytes { b in run(xff == nil ? nil : a, forwarded == nil ? nil : b) }
        }
    }

    @Test func resolver_handlesPortsBracketsAndForwardedSyntax() {
        #expect(resolve(peer: "10.0.0.1", xff: "203.0.113.5:4711") == IPAddress("203.0.113.5"))
        #expect(resolve(peer: "10.0.0.1", xff: "[2001:db9::1]:443") == IPAddress("2001:db9::1"))
        #expect(resolve(peer: "10.0.0.1", forwarded: "for=192.0.2.60;proto=http, for=\"[2001:db9::7]:80\"") == IPAddress("2001:db9::7"))
        #expect(resolve(peer: "10.0.0.1", forwarded: "For=192.0.2.60;proto=http;by=10.0.0.1") == IPAddress("192.0.2.60"))
    }

    @Test func resolver_whenAllHopsTrusted_usesLeftmost() {
        #expect(resolve(peer: "10.0.0.1", xff: "10.0.0.7, 10.0.0.8") == IPAddress("10.0.0.7"))
    }

    @Test func resolver_whenRightmostUntrustedHopIsGarbage_givesNoAddress() {
        #expect(resolve(peer: "10.0.0.1", xff: "203.0.113.5, unknown, 10.0.0.2") == nil)
    }

    @Test func resolver_prefersForwardedForOverForwarded_andFallsBackToPeer() {
        #expect(resolve(peer: "10.0.0.1", xff: "203.0.113.5", forwarded: "for=192.0.2.1") == IPAddress("203.0.113.5"))
        #expect(resolve(peer: "10.0.0.1") == IPAddress("10.0.0.1"))
        #expect(resolve(peer: "2001:db8::5", xff: "198.51.100.1") == IPAddress("198.51.100.1"))
    }
}
