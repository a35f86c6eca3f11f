import HTTPTypes
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Synchronization
import Testing

@testable import AdminAPI

/// Links through the API: create, read, change, delete, list, and every validation rule.
@Suite struct LinkTests {
    @Test func createLink_withCustomCode_returns201WithShortUrlAndStoresIt() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let spring = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        try await harness.run { client in
            let reply = try await client.post(
                "/api/v1/links",
                """
                {"shortCode":"Promo_1","originalUrl":"https://example.com/landing?a=1","clientId":"\(acme.id)",
                 "campaignId":"\(spring.id)","tags":[" summer ","paid","summer"],"redirectStatus":301,
                 "forwardQuery":true,"expiresAt":"2099-01-02T03:04:05Z"}
                """)
            #expect(reply.status == 201)
            #expect(reply.json["shortCode"] == "Promo_1")
            #expect(reply.json["shortUrl"] == "https://sho.rt/Promo_1")
            #expect(reply.json["tags"] == ["paid", "summer"])
            #expect(reply.json["redirectStatus"] == 301)
            #expect(reply.json["forwardQuery"] == true)
            #expect(reply.json["expiresAt"] == "2099-01-02T03:04:05.000000Z")
            #expect(reply.json["userId"]?.stringValue == harness.user.id.description)
            #expect(reply.headers[.location] == "/api/v1/links/\(reply.json["id"]!.stringValue!)")
            let row = try await harness.db.pool.query(
                "SELECT original_url, redirect_status, forward_query, campaign_id::text FROM links WHERE short_code = 'Promo_1'")[0]
            #expect(try row.decode(0, as: String.self) == "https://example.com/landing?a=1")
            #expect(try row.decode(1, as: Int.self) == 301)
            #expect(try row.decode(2, as: Bool.self))
            #expect(try row.decode(3, as: String.self) == spring.id.description)
            #expect(try await harness.count("tags") == 2, "tags are created on first use")
        }
    }

    @Test func createLink_withoutCode_generatesBase62CodeOfConfiguredLength() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            var codes = Set<String>()
            for _ in 0..<20 {
                let reply = try await client.post("/api/v1/links", #"{"originalUrl":"https://example.com/","clientId":"\#(acme.id)"}"#)
                #expect(reply.status == 201)
                let code = try #require(reply.json["shortCode"]?.stringValue)
                #expect(code.count == 7)
                #expect(code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
                codes.insert(code)
            }
            #expect(codes.count == 20)
            #expect(try await harness.count("links") == 20)
        }
    }

    @Test func generatedCode_whenItCollides_isRedrawn() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let repository = LinkRepository(pool: harness.db.pool)
        _ = try await repository.create(
            NewLink(shortCode: ShortCode("taken")!, originalURL: "https://a.example/", userID: harness.user.id, clientID: acme.id))
        let draws = DrawSequence(["taken", "taken", "fresh"])
        let link = try await repository.create(
            NewLink(shortCode: ShortCode("taken")!, originalURL: "https://b.example/", userID: harness.user.id, clientID: acme.id),
            regenerateCode: { ShortCode(draws.next())! })
        #expect(link.shortCode.rawValue == "fresh")
        await harness.db.drop()
    }

    @Test func createLink_withDuplicateCode_returns409AndChangesNothing() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            #expect(
                try await client.post(
                    "/api/v1/links", #"{"shortCode":"dup","originalUrl":"https://a.example/","clientId":"\#(acme.id)","tags":["x"]}"#
                ).status == 201)
            let before = try await harness.snapshot()
            let reply = try await client.post(
                "/api/v1/links", #"{"shortCode":"dup","originalUrl":"https://b.example/","clientId":"\#(acme.id)","tags":["new-tag"]}"#)
            #expect(reply.status == 409)
            #expect(reply.code == "short_code_taken")
            #expect(reply.fields == ["shortCode"])
            #expect(try await harness.snapshot() == before, "neither the link nor its new tag may be written")
        }
    }

    /// Each rule of a link body, as (JSON fields besides clientId, status, problem code, offending field, rule).
    static let refusals: [(String, Int, String, String, String)] = [
        (#""originalUrl":"javascript:alert(1)""#, 422, "validation_failed", "originalUrl", "url_scheme"),
        (#""originalUrl":"data:text/html,hi""#, 422, "validation_failed", "originalUrl", "url_scheme"),
        (#""originalUrl":"file:///etc/passwd""#, 422, "validation_failed", "originalUrl", "url_scheme"),
        (#""originalUrl":"ftp://example.com/x""#, 422, "validation_failed", "originalUrl", "url_scheme"),
        (#""originalUrl":"mailto:a@example.com""#, 422, "validation_failed", "originalUrl", "url_scheme"),
        (#""originalUrl":"/relative/path""#, 422, "validation_failed", "originalUrl", "url_not_absolute"),
        (#""originalUrl":"example.com""#, 422, "validation_failed", "originalUrl", "url_not_absolute"),
        (#""originalUrl":"https://""#, 422, "validation_failed", "originalUrl", "url_host"),
        (#""originalUrl":"https:///path""#, 422, "validation_failed", "originalUrl", "url_host"),
        (#""originalUrl":"https://example.com:99999/""#, 422, "validation_failed", "originalUrl", "url_host"),
        (#""originalUrl":"https://exa mple.com/""#, 422, "validation_failed", "originalUrl", "url_characters"),
        (#""originalUrl":"https://example.com/\r\nSet-Cookie: x""#, 422, "validation_failed", "originalUrl", "control_character"),
        (#""originalUrl":"https://SHO.RT/loop""#, 422, "validation_failed", "originalUrl", "url_loop"),
        (#""originalUrl":"http://user@sho.rt./loop""#, 422, "validation_failed", "originalUrl", "url_credentials"),
        (
            #""originalUrl":"https://example.com/"# + String(repeating: "a", count: 8200) + #"""#, 422, "validation_failed", "originalUrl",
            "url_too_long"
        ),
        (#""originalUrl":"https://example.com/","shortCode":"api""#, 422, "validation_failed", "shortCode", "code_reserved"),
        (#""originalUrl":"https://example.com/","shortCode":"HealthZ""#, 422, "validation_failed", "shortCode", "code_reserved"),
        (#""originalUrl":"https://example.com/","shortCode":"robots.txt""#, 422, "validation_failed", "shortCode", "code_format"),
        (#""originalUrl":"https://example.com/","shortCode":"has space""#, 422, "validation_failed", "shortCode", "code_format"),
        (#""originalUrl":"https://example.com/","shortCode":"""#, 422, "validation_failed", "shortCode", "code_format"),
        (
            #""originalUrl":"https://example.com/","shortCode":""# + String(repeating: "a", count: 65) + #"""#, 422, "validation_failed", "shortCode",
            "code_format"
        ),
        (#""originalUrl":"https://example.com/","tags":["ok","  "]"#, 422, "validation_failed", "tags[1]", "blank"),
        (#""originalUrl":"https://example.com/","redirectStatus":303"#, 422, "validation_failed", "redirectStatus", "redirect_status"),
        (#""originalUrl":"https://example.com/","expiresAt":"yesterday""#, 422, "validation_failed", "expiresAt", "format"),
        (#""originalUrl":"https://example.com/","expiresAt":"2001-01-01T00:00:00Z""#, 422, "validation_failed", "expiresAt", "in_past"),
        (#""originalUrl":"https://example.com/","campaignId":"nope""#, 422, "validation_failed", "campaignId", "format"),
        (
            #""originalUrl":"https://example.com/","campaignId":"00000000-0000-4000-8000-000000000000""#, 422, "validation_failed", "campaignId",
            "campaign_client_mismatch"
        ),
        (#""originalUrl":"https://example.com/","unknownField":1"#, 400, "invalid_request", "unknownField", "unknown_field"),
        (#""originalUrl":42"#, 400, "invalid_request", "originalUrl", "type"),
        (#""shortCode":"abc""#, 400, "invalid_request", "originalUrl", "required"),
        (#""originalUrl":"https://example.com/","tags":"a,b""#, 400, "invalid_request", "tags", "type"),
        (#""originalUrl":"https://example.com/","tags":[1]"#, 400, "invalid_request", "tags[0]", "type"),
        (#""originalUrl":"https://example.com/","redirectStatus":301.5"#, 400, "invalid_request", "redirectStatus", "type"),
        (#""originalUrl":"https://example.com/","forwardQuery":"yes""#, 400, "invalid_request", "forwardQuery", "type"),
    ]

    @Test func createLink_breakingARule_isRefusedWithFieldAndChangesNothing() async throws {
        // One database for all the cases (each is checked against the same snapshot).
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let before = try await harness.snapshot()
            for (fields, status, code, field, rule) in Self.refusals {
                let reply = try await client.post("/api/v1/links", #"{"clientId":"\#(acme.id)",\#(fields)}"#)
                let label = String(fields.prefix(120))
                #expect(reply.status == status, "\(label)")
                #expect(reply.code == code, "\(label)")
                #expect(reply.contentType == "application/problem+json", "\(label)")
                #expect(reply.fields.contains(field), "\(label): fields \(reply.fields)")
                #expect(reply.ruleCodes.contains(rule), "\(label): rules \(reply.ruleCodes)")
                #expect(try await harness.snapshot() == before, "\(label)")
            }
        }
    }

    @Test func createLink_forUnknownClient_returns422() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.post(
                "/api/v1/links", #"{"originalUrl":"https://example.com/","clientId":"\#(EntityID.random())","tags":["t"]}"#)
            #expect(reply.status == 422)
            #expect(reply.fields == ["clientId"])
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func createLink_withCampaignOfAnotherClient_returns422() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient("Acme")
        let globex = try await harness.makeClient("Globex")
        let deals = try await CampaignRepository(pool: harness.db.pool).create(clientID: globex.id, name: "Deals")
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.post(
                "/api/v1/links",
                #"{"originalUrl":"https://example.com/","clientId":"\#(acme.id)","campaignId":"\#(deals.id)"}"#)
            #expect(reply.status == 422)
            #expect(reply.ruleCodes == ["campaign_client_mismatch"])
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func patchLink_changesFieldsAndReplacesTags() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let spring = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        try await harness.run { client in
            let created = try await client.post(
                "/api/v1/links",
                #"{"shortCode":"old","originalUrl":"https://a.example/","clientId":"\#(acme.id)","campaignId":"\#(spring.id)","tags":["a","b"],"expiresAt":"2099-01-01T00:00:00Z"}"#
            )
            let id = created.json["id"]!.stringValue!
            let patched = try await client.patch(
                "/api/v1/links/\(id)",
                #"{"shortCode":"new","originalUrl":"https://b.example/","tags":["b","c"],"campaignId":null,"redirectStatus":308,"forwardQuery":true,"expiresAt":null}"#
            )
            #expect(patched.status == 200)
            #expect(patched.json["shortCode"] == "new")
            #expect(patched.json["shortUrl"] == "https://sho.rt/new")
            #expect(patched.json["originalUrl"] == "https://b.example/")
            #expect(patched.json["tags"] == ["b", "c"])
            #expect(patched.json["campaignId"] == .null)
            #expect(patched.json["redirectStatus"] == 308)
            #expect(patched.json["expiresAt"] == .null)
            let tags = try await harness.db.pool.query(
                "SELECT t.name FROM link_tags lt JOIN tags t ON t.id = lt.tag_id WHERE lt.link_id = $1::uuid ORDER BY 1", [id]
            ).map { try $0.decode(0, as: String.self) }
            #expect(tags == ["b", "c"])
            let untouched = try await client.patch("/api/v1/links/\(id)", #"{"forwardQuery":false}"#)
            #expect(untouched.json["tags"] == ["b", "c"], "fields left out keep their value")
            #expect(untouched.json["originalUrl"] == "https://b.example/")
        }
    }

    @Test func patchLink_refusals_changeNothing() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let first = try await client.post("/api/v1/links", #"{"shortCode":"one","originalUrl":"https://a.example/","clientId":"\#(acme.id)"}"#)
            _ = try await client.post("/api/v1/links", #"{"shortCode":"two","originalUrl":"https://a.example/","clientId":"\#(acme.id)"}"#)
            let id = first.json["id"]!.stringValue!
            let before = try await harness.snapshot()
            let cases: [(String, Int, String)] = [
                (#"{"shortCode":"two"}"#, 409, "short_code_taken"),
                (#"{"originalUrl":"javascript:x"}"#, 422, "validation_failed"),
                (#"{"clientId":"\#(acme.id)"}"#, 400, "invalid_request"),
                (#"{"originalUrl":null}"#, 422, "validation_failed"),
                (#"{"tags":["ok",""],"originalUrl":"https://c.example/"}"#, 422, "validation_failed"),
                (#"{"campaignId":"\#(EntityID.random())"}"#, 422, "validation_failed"),
            ]
            for (body, status, code) in cases {
                let reply = try await client.patch("/api/v1/links/\(id)", body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.code == code, "\(body)")
                #expect(try await harness.snapshot() == before, "\(body)")
            }
            #expect(try await client.patch("/api/v1/links/\(EntityID.random())", #"{"forwardQuery":true}"#).status == 404)
        }
    }

    @Test func getAndDeleteLink() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let created = try await client.post("/api/v1/links", #"{"originalUrl":"https://a.example/","clientId":"\#(acme.id)","tags":["x"]}"#)
            let id = created.json["id"]!.stringValue!
            let fetched = try await client.get("/api/v1/links/\(id)")
            #expect(fetched.status == 200)
            #expect(fetched.json == created.json)
            let deleted = try await client.delete("/api/v1/links/\(id)")
            #expect(deleted.status == 204)
            #expect(try await client.get("/api/v1/links/\(id)").status == 404)
            #expect(try await client.delete("/api/v1/links/\(id)").status == 404)
            #expect(try await harness.count("links") == 0)
            #expect(try await harness.count("link_tags") == 0)
        }
    }
}

/// Hands out fixed codes in order, for the collision test.
final class DrawSequence: Sendable {
    private let codes: Mutex<[String]>
    init(_ codes: [String]) { self.codes = Mutex(codes) }
    func next() -> String { codes.withLock { $0.removeFirst() } }
}
