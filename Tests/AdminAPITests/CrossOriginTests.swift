import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// CORS on the real admin listener: preflights answered before authentication for allowed
/// origins, refused with a problem document for others, and nothing at all when no origin
/// is configured.
@Suite struct CrossOriginTests {
    static let console = "https://console.macondo.example"

    static func preflight(_ admin: LiveAdmin, origin: String, path: String = "/api/v1/links") async throws -> LoopbackHTTP.Response {
        try await admin.request(
            "OPTIONS", path,
            headers: ["Origin: \(origin)", "Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, content-type"])
    }

    @Test func preflight_fromAllowedOrigin_isAnswered204BeforeAuthentication() async throws {
        let admin = try await LiveAdmin.start { $0.corsAllowedOrigins = [Self.console, "http://localhost:5173"] }
        let reply = try await Self.preflight(admin, origin: Self.console)
        await admin.stop()
        #expect(reply.status == 204)
        #expect(reply.headers["access-control-allow-origin"] == Self.console)
        let methods = reply.headers["access-control-allow-methods"] ?? ""
        for method in ["GET", "POST", "PATCH", "DELETE"] { #expect(methods.contains(method), "\(methods)") }
        let headers = (reply.headers["access-control-allow-headers"] ?? "").lowercased()
        #expect(headers.contains("authorization") && headers.contains("content-type"))
        #expect(Int(reply.headers["access-control-max-age"] ?? "") ?? 0 > 0)
        #expect(reply.headers["vary"]?.contains("Origin") == true)
        #expect(reply.headers["access-control-allow-credentials"] == nil)
    }

    @Test func preflight_fromOtherOrigin_is403ProblemWithoutAllowOrigin() async throws {
        let admin = try await LiveAdmin.start { $0.corsAllowedOrigins = [Self.console] }
        let reply = try await Self.preflight(admin, origin: "https://evil.example")
        let sneaky = try await Self.preflight(admin, origin: "https://console.macondo.example.evil.example")
        let null = try await Self.preflight(admin, origin: "null")
        await admin.stop()
        for response in [reply, sneaky, null] {
            #expect(response.status == 403)
            #expect(response.headers["content-type"] == "application/problem+json")
            #expect(response.body.contains(#""code":"origin_not_allowed""#))
            #expect(response.headers["access-control-allow-origin"] == nil)
        }
    }

    @Test func actualRequests_fromAllowedOrigin_carryAllowOrigin_errorsIncluded() async throws {
        let admin = try await LiveAdmin.start { $0.corsAllowedOrigins = [Self.console] }
        let token = try await admin.token()
        let ok = try await admin.request("GET", "/api/v1/clients", token: token, headers: ["Origin: \(Self.console)"])
        let unauthorized = try await admin.request("GET", "/api/v1/clients", headers: ["Origin: \(Self.console)"])
        let invalid = try await admin.request("POST", "/api/v1/clients", token: token, headers: ["Origin: \(Self.console)"], body: #"{"nope":1}"#)
        let other = try await admin.request("GET", "/api/v1/clients", token: token, headers: ["Origin: https://evil.example"])
        await admin.stop()
        #expect(ok.status == 200)
        #expect(unauthorized.status == 401)
        #expect(invalid.status == 400)
        for response in [ok, unauthorized, invalid] {
            #expect(response.headers["access-control-allow-origin"] == Self.console)
            #expect(response.headers["vary"]?.contains("Origin") == true)
            #expect(response.headers["access-control-expose-headers"]?.contains("Retry-After") == true)
        }
        #expect(unauthorized.headers["content-type"] == "application/problem+json")
        #expect(other.status == 200)
        #expect(other.headers["access-control-allow-origin"] == nil)
    }

    @Test func noAllowList_meansNoCORSHeadersAtAll() async throws {
        let admin = try await LiveAdmin.start()
        let reply = try await Self.preflight(admin, origin: Self.console)
        let token = try await admin.token()
        let get = try await admin.request("GET", "/api/v1/clients", token: token, headers: ["Origin: \(Self.console)"])
        await admin.stop()
        #expect(reply.status == 401, "without CORS a preflight is just an unauthenticated request")
        for response in [reply, get] {
            #expect(!response.headers.keys.contains { $0.hasPrefix("access-control-") })
        }
    }
}
