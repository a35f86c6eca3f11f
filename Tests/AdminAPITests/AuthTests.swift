import Foundation
import HTTPTypes
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// Every way in and every way to be turned away.
@Suite struct AuthTests {
    @Test func request_withoutCredentials_returns401WithWWWAuthenticate() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let reply = try await client.get("/api/v1/clients", auth: .none)
            #expect(reply.status == 401)
            #expect(reply.code == "missing_credentials")
            #expect(reply.contentType == "application/problem+json")
            #expect(reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func request_withMalformedCredentials_returns401() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            for header in ["Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-token", "Token slk_x", "Bearer a.b.c"] {
                let reply = try await client.get("/api/v1/clients", auth: .header(header))
                #expect(reply.status == 401, "\(header)")
                #expect(reply.code == "invalid_credentials" || reply.code == "missing_credentials", "\(header)")
                #expect(reply.headers[.wwwAuthenticate]?.contains("Bearer") == true, "\(header)")
            }
        }
    }

    @Test func request_withUnknownToken_returns401() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let reply = try await client.get("/api/v1/clients", auth: .header("Bearer \(APITokenSecret.generate().token)"))
            #expect(reply.status == 401)
            #expect(reply.code == "invalid_credentials")
            #expect(reply.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            #expect(!reply.body.contains("slk_"), "the token must not be echoed")
        }
    }

    @Test func request_withRevokedToken_returns401() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            #expect(try await client.get("/api/v1/me").status == 200)
            try await harness.db.pool.execute("UPDATE api_tokens SET revoked_at = now()")
            let reply = try await client.get("/api/v1/me")
            #expect(reply.status == 401)
            #expect(reply.json["detail"]?.stringValue?.contains("revoked") == true)
        }
    }

    @Test func request_withExpiredToken_returns401() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            try await harness.db.pool.execute("UPDATE api_tokens SET expires_at = now() - interval '1 second'")
            #expect(try await client.get("/api/v1/me").status == 401)
        }
    }

    @Test func apiToken_whenUsed_recordsLastUsedAtAtMostOncePerMinute() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            #expect(try await harness.db.pool.query("SELECT last_used_at FROM api_tokens")[0].decode(0, as: PGTimestamp?.self) == nil)
            let me = try await client.get("/api/v1/me")
            #expect(me.status == 200)
            #expect(me.json["user"]?["email"] == "staff@macondo.example")
            #expect(me.json["authentication"]?["type"] == "apiToken")
            let first = try await harness.db.pool.query("SELECT last_used_at FROM api_tokens")[0].decode(0, as: PGTimestamp?.self)
            #expect(first != nil)
            _ = try await client.get("/api/v1/me")
            let second = try await harness.db.pool.query("SELECT last_used_at FROM api_tokens")[0].decode(0, as: PGTimestamp?.self)
            #expect(second == first, "a second use within a minute must not write again")
            try await harness.db.pool.execute("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes'")
            _ = try await client.get("/api/v1/me")
            let third = try await harness.db.pool.query("SELECT last_used_at > now() - interval '10 seconds' FROM api_tokens")[0].decode(
                0, as: Bool.self)
            #expect(third)
        }
    }

    @Test func oidc_validToken_createsUserOnFirstLoginAndReusesIt() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(email: "New.Person@Macondo.example")
        try await harness.run { client in
            let first = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(first.status == 200)
            #expect(first.json["authentication"]?["type"] == "oidc")
            #expect(first.json["user"]?["email"] == "New.Person@Macondo.example")
            #expect(first.json["user"]?["name"] == "New Person")
            #expect(first.json["user"]?["avatarUrl"] == "https://images.example/p.png")
            let second = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(second.json["user"]?["id"] == first.json["user"]?["id"])
            #expect(try await harness.count("users") == 2)
            let clients = try await client.get("/api/v1/clients", auth: .header("Bearer \(token)"))
            #expect(clients.status == 200)
        }
    }

    @Test func oidc_badSignature_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(signedByStranger: true)
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
            #expect(reply.code == "invalid_credentials")
            #expect(try await harness.count("users") == 1)
        }
    }

    @Test func oidc_tamperedPayload_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(email: "someone@macondo.example")
        var parts = token.split(separator: ".").map(String.init)
        let forgedToken: String
        let forged =
            #"{"iss":"\#(TestIdentityProvider.issuer)","aud":"\#(TestIdentityProvider.audience)","exp":9999999999,"email":"boss@macondo.example","email_verified":true}"#
        parts[1] = TestIdentityProvider.base64URL(Data(forged.utf8))
        forgedToken = parts.joined(separator: ".")
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(forgedToken)"))
            #expect(reply.status == 401)
            #expect(try await harness.count("users") == 1)
        }
    }

    @Test func oidc_expiredToken_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(expiresIn: -120)
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
            #expect(reply.json["detail"]?.stringValue?.contains("expired") == true)
        }
    }

    @Test func oidc_wrongAudience_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(audience: "some-other-app")
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
            #expect(reply.json["detail"]?.stringValue?.contains("audience") == true)
        }
    }

    @Test func oidc_wrongIssuer_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(issuer: "https://evil.example")
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
        }
    }

    @Test func oidc_unverifiedEmail_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(verified: false)
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
            #expect(reply.json["detail"]?.stringValue?.contains("not verified") == true)
            #expect(try await harness.count("users") == 1)
        }
    }

    @Test func oidc_emailOutsideAllowedDomains_returns403() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.idToken(email: "intruder@gmail.com")
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 403)
            #expect(reply.code == "domain_not_allowed")
            #expect(try await harness.count("users") == 1, "no user is created for a refused domain")
        }
    }

    @Test func oidc_hmacSignedToken_returns401() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make(auth: try provider.authConfiguration())
        let token = try await provider.hmacToken()
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
        }
    }

    @Test func oidc_whenNotConfigured_refusesIDTokens() async throws {
        let provider = TestIdentityProvider.shared
        let harness = try await AdminHarness.make()
        let token = try await provider.idToken()
        try await harness.run { client in
            let reply = try await client.get("/api/v1/me", auth: .header("Bearer \(token)"))
            #expect(reply.status == 401)
        }
    }

    @Test func readyz_needsNoAuthentication() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let reply = try await client.get("/readyz", auth: .none)
            #expect(reply.status == 200)
            #expect(reply.json["status"] == "ready")
            #expect(reply.json["database"] == "ok")
            #expect(try await client.get("/metrics", auth: .none).status == 401)
            #expect(try await client.get("/api/v1/openapi.json", auth: .none).status == 401)
        }
    }
}
