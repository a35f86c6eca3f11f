import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// `POST /api/v1/links/bulk`.
@Suite struct BulkTests {
    @Test func bulk_createsValidItemsAndReportsEachFailure() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        _ = try await LinkRepository(pool: harness.db.pool).create(
            NewLink(shortCode: ShortCode("taken")!, originalURL: "https://a.example/", userID: harness.user.id, clientID: acme.id))
        try await harness.run { client in
            let reply = try await client.post(
                "/api/v1/links/bulk",
                """
                {"links":[
                  {"originalUrl":"https://a.example/1","clientId":"\(acme.id)","tags":["bulk"]},
                  {"originalUrl":"https://a.example/2","clientId":"\(acme.id)","shortCode":"taken"},
                  {"originalUrl":"javascript:x","clientId":"\(acme.id)"},
                  {"originalUrl":"https://a.example/4","clientId":"\(acme.id)","shortCode":"mine"},
                  {"originalUrl":"https://a.example/5","clientId":"\(acme.id)","wat":1},
                  "not an object",
                  {"originalUrl":"https://a.example/7","clientId":"\(acme.id)","shortCode":"mine"}
                ]}
                """)
            #expect(reply.status == 200)
            #expect(reply.json["created"] == 2)
            #expect(reply.json["failed"] == 5)
            let results = try #require(reply.json["results"]?.arrayValue)
            #expect(results.map { $0["result"]?.stringValue ?? "" } == ["created", "failed", "failed", "created", "failed", "failed", "failed"])
            #expect(results.map { $0["status"] } == [201, 409, 422, 201, 400, 400, 409])
            #expect(results[1]["error"]?["code"] == "short_code_taken")
            #expect(results[1]["error"]?["errors"]?.arrayValue?.first?["field"] == "links[1].shortCode")
            #expect(results[2]["error"]?["errors"]?.arrayValue?.first?["field"] == "links[2].originalUrl")
            #expect(results[4]["error"]?["errors"]?.arrayValue?.first?["field"] == "links[4].wat")
            #expect(results[3]["link"]?["shortCode"] == "mine")
            #expect(try await harness.count("links") == 3)
            #expect(try await harness.count("link_tags") == 1)
        }
    }

    @Test func bulk_atomic_withAFailure_createsNothing() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.post(
                "/api/v1/links/bulk",
                """
                {"atomic":true,"links":[
                  {"originalUrl":"https://a.example/1","clientId":"\(acme.id)","shortCode":"same","tags":["t"]},
                  {"originalUrl":"https://a.example/2","clientId":"\(acme.id)","shortCode":"same"}
                ]}
                """)
            #expect(reply.status == 200)
            #expect(reply.json["created"] == 0)
            #expect(reply.json["results"]?.arrayValue?.map { $0["result"]?.stringValue ?? "" } == ["skipped", "failed"])
            #expect(try await harness.snapshot() == before)
            let valid = try await client.post(
                "/api/v1/links/bulk",
                """
                {"atomic":true,"links":[{"originalUrl":"https://a.example/1","clientId":"\(acme.id)"},{"originalUrl":"https://a.example/2","clientId":"\(acme.id)"}]}
                """)
            #expect(valid.json["created"] == 2)
            #expect(try await harness.count("links") == 2)
        }
    }

    @Test func bulk_overTheLimit_isRefusedWholeAndChangesNothing() async throws {
        let harness = try await AdminHarness.make(maxBulkLinks: 1000)
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let item = #"{"originalUrl":"https://a.example/","clientId":"\#(acme.id)"}"#
            let before = try await harness.snapshot()
            let reply = try await client.post(
                "/api/v1/links/bulk", #"{"links":["# + Array(repeating: item, count: 1001).joined(separator: ",") + "]}")
            #expect(reply.status == 422)
            #expect(reply.ruleCodes == ["too_many"])
            #expect(try await harness.snapshot() == before)
            let empty = try await client.post("/api/v1/links/bulk", #"{"links":[]}"#)
            #expect(empty.status == 422)
            let missing = try await client.post("/api/v1/links/bulk", #"{"items":[]}"#)
            #expect(missing.status == 400)
            #expect(Set(missing.fields) == ["items", "links"])
        }
    }

    @Test func bulk_ofAThousand_createsAllInOneRequest() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let items = (0..<1000).map { #"{"originalUrl":"https://a.example/\#($0)","clientId":"\#(acme.id)","tags":["t\#($0 % 3)"]}"# }
            let reply = try await client.post("/api/v1/links/bulk", #"{"links":["# + items.joined(separator: ",") + "]}")
            #expect(reply.status == 200)
            #expect(reply.json["created"] == 1000)
            #expect(try await harness.count("links") == 1000)
            #expect(try await harness.count("tags") == 3)
        }
    }
}
