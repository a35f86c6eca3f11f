import HTTPTypes
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// Tags, users and API tokens through the API.
@Suite struct TagUserTokenTests {
    @Test func tags_listWithCountsRenameAndDelete() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            _ = try await client.post("/api/v1/links", #"{"originalUrl":"https://a.example/1","clientId":"\#(acme.id)","tags":["red","blue"]}"#)
            _ = try await client.post("/api/v1/links", #"{"originalUrl":"https://a.example/2","clientId":"\#(acme.id)","tags":["red"]}"#)
            let list = try await client.get("/api/v1/tags")
            let items = try #require(list.json["items"]?.arrayValue)
            #expect(items.map { $0["name"] } == ["blue", "red"])
            #expect(items.map { $0["linkCount"] } == [1, 2])
            let red = try #require(items[1]["id"]?.stringValue)
            let blue = try #require(items[0]["id"]?.stringValue)
            let renamed = try await client.patch("/api/v1/tags/\(red)", #"{"name":"crimson"}"#)
            #expect(renamed.status == 200)
            #expect(renamed.json["name"] == "crimson")
            #expect(renamed.json["linkCount"] == 2)
            let links = try await client.get("/api/v1/links?tag=crimson")
            #expect(links.json["items"]?.arrayValue?.count == 2)
            let deleted = try await client.delete("/api/v1/tags/\(blue)")
            #expect(deleted.json["untaggedLinks"] == 1)
            #expect(try await harness.count("links") == 2, "links outlive their tags")
            #expect(try await client.get("/api/v1/tags/\(blue)").status == 404)
        }
    }

    @Test func renameTag_ontoExistingName_returns409AndChangesNothing() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            _ = try await client.post("/api/v1/links", #"{"originalUrl":"https://a.example/1","clientId":"\#(acme.id)","tags":["red","blue"]}"#)
            let items = try await client.get("/api/v1/tags").json["items"]!.arrayValue!
            let before = try await harness.snapshot()
            let reply = try await client.patch("/api/v1/tags/\(items[0]["id"]!.stringValue!)", #"{"name":"red"}"#)
            #expect(reply.status == 409)
            #expect(reply.code == "tag_name_taken")
            let blank = try await client.patch("/api/v1/tags/\(items[0]["id"]!.stringValue!)", #"{"name":" "}"#)
            #expect(blank.status == 422)
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func users_listGetPatchAndDeleteWithLinkCount() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let other = try await UserRepository(pool: harness.db.pool).create(email: "leaver@macondo.example", name: "Leaver")
        for index in 0..<2 {
            _ = try await LinkRepository(pool: harness.db.pool).create(
                NewLink(
                    shortCode: ShortCode("leaver\(index)")!, originalURL: "https://a.example/", userID: other.id, clientID: acme.id))
        }
        try await harness.run { client in
            let list = try await client.get("/api/v1/users")
            #expect(list.json["items"]?.arrayValue?.map { $0["email"] } == ["leaver@macondo.example", "staff@macondo.example"])
            #expect(try await client.get("/api/v1/users/\(other.id)").json["name"] == "Leaver")
            let patched = try await client.patch("/api/v1/users/\(other.id)", #"{"name":" Still Here ","avatarUrl":"https://img.example/a.png"}"#)
            #expect(patched.status == 200)
            #expect(patched.json["name"] == "Still Here")
            #expect(patched.json["avatarUrl"] == "https://img.example/a.png")
            let cleared = try await client.patch("/api/v1/users/\(other.id)", #"{"avatarUrl":null}"#)
            #expect(cleared.json["avatarUrl"] == .null)
            #expect(cleared.json["name"] == "Still Here")
            let before = try await harness.snapshot()
            #expect(try await client.patch("/api/v1/users/\(other.id)", #"{"avatarUrl":"javascript:x"}"#).status == 422)
            #expect(try await client.patch("/api/v1/users/\(other.id)", #"{"email":"x@y.z"}"#).status == 400)
            #expect(try await client.patch("/api/v1/users/\(other.id)", #"{"name":""}"#).status == 422)
            #expect(try await harness.snapshot() == before)
            let deleted = try await client.delete("/api/v1/users/\(other.id)")
            #expect(deleted.status == 200)
            #expect(deleted.json["deletedLinks"] == 2)
            #expect(try await harness.count("links") == 0)
            #expect(try await client.get("/api/v1/users/\(other.id)").status == 404)
        }
    }

    @Test func tokens_createListAndRevokeThroughTheAPI() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let created = try await client.post("/api/v1/tokens", #"{"name":"laptop"}"#)
            #expect(created.status == 201)
            let secret = try #require(created.json["token"]?.stringValue)
            #expect(secret.hasPrefix("slk_"))
            #expect(secret.count == 47)
            #expect(created.json["prefix"]?.stringValue == String(secret.prefix(12)))
            let stored = try await harness.db.pool.query("SELECT token_hash FROM api_tokens WHERE name = 'laptop'")[0].decode(0, as: PGBytes.self)
            #expect(stored.bytes == APITokenSecret.digest(of: secret), "only the SHA-256 is stored")
            let me = try await client.get("/api/v1/me", auth: .header("Bearer \(secret)"))
            #expect(me.status == 200)
            let list = try await client.get("/api/v1/tokens")
            #expect(list.json["items"]?.arrayValue?.count == 2)
            #expect(!list.body.contains(secret), "listings never show secrets")
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try await client.delete("/api/v1/tokens/\(id)").status == 204)
            #expect(try await client.get("/api/v1/me", auth: .header("Bearer \(secret)")).status == 401)
            let after = try await client.get("/api/v1/tokens")
            #expect(after.json["items"]?.arrayValue?.first { $0["id"]?.stringValue == id }?["revokedAt"] != .null)
            #expect(try await client.delete("/api/v1/tokens/\(EntityID.random())").status == 404)
        }
    }
}
