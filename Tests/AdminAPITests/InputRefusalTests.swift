import HTTPTypes
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import AdminAPI
@testable import Storage

/// Input the API must refuse with a 4xx problem and without writing anything: NUL and other
/// control characters, names too long in what Postgres stores, `null` for fields that cannot
/// be cleared, too many tags, targets that carry credentials or point back at the service.
@Suite struct InputRefusalTests {
    @Test func controlCharacters_inAnyString_areRefusedWith422_andNothingIsWritten() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let before = try await harness.snapshot()
            let cases: [(String, String, String)] = [
                ("/api/v1/clients", #"{"name":"x\u0000y"}"#, "name"),
                ("/api/v1/clients", #"{"name":"\u0000y"}"#, "name"),
                ("/api/v1/clients", #"{"name":"a\nb"}"#, "name"),
                ("/api/v1/clients", #"{"name":"a\u001bb"}"#, "name"),
                ("/api/v1/clients", #"{"name":"a\u0085b"}"#, "name"),
                ("/api/v1/clients/\(acme.id)/campaigns", #"{"name":"\u0000"}"#, "name"),
                ("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":["ok","t\u0000"]}"#, "tags[1]"),
                ("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":["\n[ERROR] forged"]}"#, "tags[0]"),
                ("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/\u0000"}"#, "originalUrl"),
                ("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","shortCode":"ab\u0000"}"#, "shortCode"),
                (
                    "/api/v1/links/bulk", #"{"links":[{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":["\u0000"]}]}"#,
                    "links[0].tags[0]"
                ),
                ("/api/v1/clients", #"{"na\u0000me":"x"}"#, ""),
            ]
            for (path, body, field) in cases {
                let reply = try await client.post(path, body)
                #expect(reply.status == 422, "\(body)")
                #expect(reply.code == "validation_failed", "\(body)")
                #expect(reply.fields == [field], "\(body)")
                #expect(reply.ruleCodes == ["control_character"], "\(body)")
                #expect(!reply.body.contains("forged"), "the detail must not echo the value")
            }
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func names_areLimitedInCodePointsAndBytes_notInCharacters() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let before = try await harness.snapshot()
            // One user-perceived character of 2 MB: a letter and a million combining marks.
            let zalgo = "a" + String(repeating: "\u{301}", count: 1_000_000)
            let huge = try await client.post("/api/v1/clients", #"{"name":"\#(zalgo)"}"#)
            #expect(huge.status == 422)
            #expect(huge.ruleCodes == ["too_long"])
            let overCodePoints = try await client.post("/api/v1/clients", #"{"name":"\#(String(repeating: "e\u{301}", count: 101))"}"#)
            #expect(overCodePoints.status == 422, "202 code points (101 characters) is over the limit")
            let overBytes = try await client.post("/api/v1/clients", #"{"name":"\#(String(repeating: "😀", count: 201))"}"#)
            #expect(overBytes.status == 422)
            #expect(try await harness.snapshot() == before)
            let longest = try await client.post("/api/v1/clients", #"{"name":"\#(String(repeating: "😀", count: 200))"}"#)
            #expect(longest.status == 201, "200 code points in 800 bytes is the longest name")
        }
    }

    @Test func patch_nullForAFieldThatCannotBeCleared_is422() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let campaign = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        try await harness.run { client in
            let link = try await client.post("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":["t"]}"#)
            let tagID = try await TagRepository(pool: harness.db.pool).find(name: "t")!.id
            let before = try await harness.snapshot()
            let paths = [
                "/api/v1/clients/\(acme.id)", "/api/v1/clients/\(acme.id)/campaigns/\(campaign.id)", "/api/v1/tags/\(tagID)",
                "/api/v1/users/\(harness.user.id)",
            ]
            for path in paths {
                let reply = try await client.patch(path, #"{"name":null}"#)
                #expect(reply.status == 422, "\(path)")
                #expect(reply.ruleCodes == ["not_nullable"], "\(path)")
            }
            let linkID = link.json["id"]!.stringValue!
            for field in ["originalUrl", "shortCode", "tags", "redirectStatus", "forwardQuery"] {
                let reply = try await client.patch("/api/v1/links/\(linkID)", #"{"\#(field)":null}"#)
                #expect(reply.status == 422, "\(field)")
                #expect(reply.fields == [field])
            }
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func tags_atMost100PerLink_onCreatePatchAndBulk() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        @Sendable func tags(_ count: Int) -> String { "[" + (0..<count).map { "\"t\($0)\"" }.joined(separator: ",") + "]" }
        try await harness.run { client in
            let before = try await harness.snapshot()
            let create = try await client.post(
                "/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":\#(tags(101))}"#)
            #expect(create.status == 422)
            #expect(create.ruleCodes == ["too_many_tags"])
            let bulk = try await client.post(
                "/api/v1/links/bulk", #"{"links":[{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":\#(tags(101))}]}"#)
            #expect(bulk.json["results"]?.arrayValue?.first?["status"] == .int(422))
            #expect(try await harness.snapshot() == before)
            let ok = try await client.post("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":\#(tags(100))}"#)
            #expect(ok.status == 201)
            let id = ok.json["id"]!.stringValue!
            let patch = try await client.patch("/api/v1/links/\(id)", #"{"tags":\#(tags(101))}"#)
            #expect(patch.status == 422)
            #expect(try await client.get("/api/v1/links/\(id)").json["tags"]?.arrayValue?.count == 100)
        }
    }

    @Test func tagList_isPagedByName_withACursor() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        try await harness.run { client in
            let names = (0..<5).map { "tag\($0)" }
            let body = names.map { "\"\($0)\"" }.joined(separator: ",")
            _ = try await client.post("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"https://a.example/","tags":[\#(body)]}"#)
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let reply = try await client.get("/api/v1/tags?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(reply.status == 200)
                seen += reply.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
                cursor = reply.json["nextCursor"]?.stringValue
                pages += 1
            } while cursor != nil && pages < 10
            #expect(seen == names)
            #expect(pages == 3)
            let all = try await client.get("/api/v1/tags")
            #expect(all.json["items"]?.arrayValue?.count == 5, "the default page (100) holds them all")
            #expect(all.json["nextCursor"] == .null)
            #expect(try await client.get("/api/v1/tags?limit=0").status == 400)
            #expect(try await client.get("/api/v1/tags?cursor=garbage").status == 400)
        }
    }

    /// Each way of writing this machine, and credentials, through the real API.
    @Test func createLink_credentialsAndSelfLoops_areRefused() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient()
        let urls: [(String, String)] = [
            ("https://paypal.com@evil.example/login", "url_credentials"), ("https://user:pw@example.com/", "url_credentials"),
            ("http://localhost:8080/x", "url_loop"), ("http://a.localhost/", "url_loop"), ("http://127.1/", "url_loop"),
            ("http://2130706433/", "url_loop"), ("http://0x7f.0.0.1/", "url_loop"), ("http://[::ffff:127.0.0.1]/", "url_loop"),
            ("http://[::1]/", "url_loop"), ("http://sho.rt./", "url_loop"), ("http://127.0.0.1:8081/api/v1/links", "url_loop"),
        ]
        try await harness.run { client in
            let before = try await harness.snapshot()
            for (url, rule) in urls {
                let reply = try await client.post("/api/v1/links", #"{"clientId":"\#(acme.id)","originalUrl":"\#(url)"}"#)
                #expect(reply.status == 422, "\(url)")
                #expect(reply.ruleCodes == [rule], "\(url)")
            }
            #expect(try await harness.snapshot() == before)
        }
    }

    /// An unknown field's name is the client's text: the problem shows it cut short, not whole.
    @Test func unknownFieldAndParameterNames_areNotEchoedWhole() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let long = String(repeating: "k", count: 5000)
            let body = try await client.post("/api/v1/clients", #"{"name":"x","\#(long)":1}"#)
            #expect(body.status == 400)
            #expect(body.fields.first.map { $0.count < 100 } == true)
            #expect(!body.body.contains(long))
            let query = try await client.get("/api/v1/clients?\(long)=1")
            #expect(query.status == 400)
            #expect(!query.body.contains(long))
        }
    }

    /// What the database refuses is a 4xx even where no validator ran first (the driver's
    /// error as Storage classifies it, then as the API maps it).
    @Test func storageErrors_integrityAndDataClasses_mapTo422() {
        func map(_ error: PGError) -> any Error { StorageErrorMapping.map(StorageError(error)) }
        let blank = PGError(code: .checkViolation, sqlState: "23514", message: "violates check", constraint: "campaigns_name_not_blank")
        #expect((map(blank) as? APIError)?.status.code == 422)
        #expect((map(blank) as? APIError)?.errors.first?.code == "blank")
        let cases = [
            PGError(code: .notNullViolation, sqlState: "23502", message: "null value", column: "original_url"),
            PGError(code: .dataException, sqlState: "22021", message: "invalid byte sequence"),
            PGError(code: .serverError, sqlState: "54000", message: "index row size 2000016 exceeds maximum", constraint: nil),
            PGError(code: .uniqueViolation, sqlState: "23505", message: "duplicate", constraint: "some_future_key"),
        ]
        for error in cases {
            let mapped = map(error) as? APIError
            #expect(mapped?.code == .validationFailed, "\(error)")
        }
        #expect((map(cases[0]) as? APIError)?.errors.first?.field == "originalUrl")
        #expect((map(cases[1]) as? APIError)?.errors.first?.code == "invalid_value")
        #expect((map(cases[2]) as? APIError)?.errors.first?.code == "too_long")
        #expect((map(cases[3]) as? APIError)?.errors.first?.code == "constraint")
        #expect((map(cases[3]) as? APIError)?.errors.first?.message == "breaks the database rule some_future_key")
        let syntax = map(PGError(code: .syntaxOrAccess, sqlState: "42601", message: "syntax"))
        #expect((syntax as? StorageError)?.code == .failed, "not the request's fault: a 500, never a 4xx")
    }
}
