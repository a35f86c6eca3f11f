import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// API tokens with an expiry and a scope, and the per-credential rate limit, on the real
/// admin listener.
@Suite struct TokenScopeTests {
    @Test func expiredToken_is401TokenExpired() async throws {
        let admin = try await LiveAdmin.start()
        let expired = try await admin.token(expiresAt: Timestamp.now().adding(seconds: -5))
        let live = try await admin.token(expiresAt: Timestamp.now().adding(seconds: 3_600))
        let refused = try await admin.request("GET", "/api/v1/clients", token: expired)
        let accepted = try await admin.request("GET", "/api/v1/clients", token: live)
        await admin.stop()
        #expect(refused.status == 401)
        #expect(refused.headers["content-type"] == "application/problem+json")
        #expect(refused.body.contains(#""code":"token_expired""#))
        #expect(refused.headers["www-authenticate"]?.contains("invalid_token") == true)
        #expect(accepted.status == 200)
    }

    @Test func readOnlyToken_canGetButNotWrite() async throws {
        let admin = try await LiveAdmin.start()
        let token = try await admin.token(scope: .readOnly)
        let list = try await admin.request("GET", "/api/v1/clients", token: token)
        let create = try await admin.request("POST", "/api/v1/clients", token: token, body: #"{"name":"Acme"}"#)
        let newToken = try await admin.request("POST", "/api/v1/tokens", token: token, body: #"{"name":"escalate"}"#)
        let clients = try await admin.db.pool.query("SELECT count(*) FROM clients")[0].decode(0, as: Int.self)
        let tokens = try await admin.db.pool.query("SELECT count(*) FROM api_tokens")[0].decode(0, as: Int.self)
        await admin.stop()
        #expect(list.status == 200)
        for refused in [create, newToken] {
            #expect(refused.status == 403)
            #expect(refused.body.contains(#""code":"token_read_only""#))
        }
        #expect(clients == 0 && tokens == 1, "a refused request writes nothing")
    }

    @Test func rateLimit_afterBurst_is429WithRetryAfter_perToken() async throws {
        // One request per 1000 s sustained, 2 at once: the third is refused for a long time,
        // so the outcome does not depend on how fast the requests go.
        let admin = try await LiveAdmin.start { $0.rateLimit = RateLimitConfiguration(perSecond: 0.001, burst: 2) }
        let first = try await admin.token()
        let second = try await admin.token()
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await admin.request("GET", "/api/v1/clients", token: first).status) }
        let limited = try await admin.request("GET", "/api/v1/clients", token: first)
        let other = try await admin.request("GET", "/api/v1/clients", token: second)
        let health = try await admin.request("GET", "/readyz")
        await admin.stop()
        #expect(statuses == [200, 200, 429])
        #expect(limited.status == 429)
        #expect(limited.headers["content-type"] == "application/problem+json")
        #expect(limited.body.contains(#""code":"rate_limited""#))
        let retryAfter = try #require(Int(limited.headers["retry-after"] ?? ""), "Retry-After is whole seconds")
        #expect(retryAfter > 900 && retryAfter <= 1000)
        #expect(other.status == 200, "each token has its own bucket")
        #expect(health.status == 200, "/readyz is not limited")
    }

    @Test func createToken_withScopeAndLifetime_isListedWithThem() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let before = Timestamp.now()
            let created = try await client.post("/api/v1/tokens", #"{"name":"reports","scope":"read-only","expiresIn":"30d"}"#)
            #expect(created.status == 201)
            #expect(created.json["scope"] == "read-only")
            let expiry = try #require(created.json["expiresAt"]?.stringValue.flatMap(ISO8601.parse))
            let thirtyDays = before.adding(seconds: 30 * 86_400)
            #expect(expiry >= thirtyDays && expiry <= thirtyDays.adding(seconds: 60))
            let inAYear = Timestamp(microsecondsSinceEpoch: (before.microsecondsSinceEpoch / 1_000_000 + 365 * 86_400) * 1_000_000)
            let atTime = try await client.post("/api/v1/tokens", #"{"name":"until","expiresAt":"\#(inAYear.iso8601)"}"#)
            #expect(atTime.status == 201, "\(atTime.body)")
            #expect(atTime.json["expiresAt"]?.stringValue.flatMap(ISO8601.parse) == inAYear)
            #expect(atTime.json["scope"] == "read-write")
            let seconds = try await client.post("/api/v1/tokens", #"{"name":"hour","expiresIn":3600}"#)
            #expect(seconds.status == 201)
            let listed = try await client.get("/api/v1/tokens")
            let reports = listed.json["items"]?.arrayValue?.first { $0["name"] == "reports" }
            #expect(reports?["scope"] == "read-only")
            #expect(reports?["expiresAt"] == created.json["expiresAt"])
            let secret = try #require(created.json["token"]?.stringValue)
            #expect(try await client.get("/api/v1/clients", auth: .header("Bearer \(secret)")).status == 200)
            #expect(try await client.post("/api/v1/clients", #"{"name":"X"}"#, auth: .header("Bearer \(secret)")).status == 403)
        }
    }

    @Test func createToken_badScopeOrLifetime_is4xxAndWritesNothing() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let before = try await harness.snapshot()
            for (body, status, field) in [
                (#"{"name":"a","scope":"admin"}"#, 422, "scope"),
                (#"{"name":"a","expiresIn":"soon"}"#, 422, "expiresIn"),
                (#"{"name":"a","expiresIn":"5s"}"#, 422, "expiresIn"),
                (#"{"name":"a","expiresIn":"99999w"}"#, 422, "expiresIn"),
                (#"{"name":"a","expiresIn":true}"#, 400, "expiresIn"),
                (#"{"name":"a","expiresAt":"2001-01-01T00:00:00Z"}"#, 422, "expiresAt"),
                (#"{"name":"a","expiresAt":"2999-01-01T00:00:00Z"}"#, 422, "expiresAt"),
                (#"{"name":"a","expiresAt":"tomorrow"}"#, 422, "expiresAt"),
                (#"{"name":"a","expiresIn":"1d","expiresAt":"2099-01-01T00:00:00Z"}"#, 422, "expiresIn"),
            ] {
                let reply = try await client.post("/api/v1/tokens", body)
                #expect(reply.status == status, "\(body): \(reply.body)")
                #expect(reply.fields == [field], "\(body): \(reply.body)")
            }
            #expect(try await harness.snapshot() == before)
        }
    }
}
