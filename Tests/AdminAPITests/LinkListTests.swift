import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// `GET /api/v1/links`: cursor pagination, filters, sort and refused parameters.
@Suite struct LinkListTests {
    /// Five links of two clients, created one by one (distinct created_at).
    static func seed(_ harness: AdminHarness) async throws -> (acme: Client, globex: Client, campaign: Campaign) {
        let acme = try await harness.makeClient("Acme")
        let globex = try await harness.makeClient("Globex")
        let campaign = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        let other = try await UserRepository(pool: harness.db.pool).create(email: "other@macondo.example", name: "Other")
        let links = LinkRepository(pool: harness.db.pool)
        let rows: [(String, String, Client, Campaign?, [String], EntityID)] = [
            ("bravo", "https://shop.example/shoes", acme, campaign, ["sale"], harness.user.id),
            ("Alpha", "https://shop.example/hats", acme, nil, ["sale", "new"], harness.user.id),
            ("delta", "https://blog.example/post_1", globex, nil, [], other.id),
            ("charlie", "https://blog.example/post%1", globex, nil, ["new"], harness.user.id),
            ("echo", "https://shop.example/SHOES/red", acme, campaign, [], harness.user.id),
        ]
        for (code, url, client, campaign, tags, user) in rows {
            _ = try await links.create(
                NewLink(
                    shortCode: ShortCode(code)!, originalURL: url, userID: user, clientID: client.id, campaignID: campaign?.id, tags: tags))
        }
        return (acme, globex, campaign)
    }

    static func codes(_ reply: Reply) -> [String] {
        reply.json["items"]?.arrayValue?.compactMap { $0["shortCode"]?.stringValue } ?? []
    }

    @Test func list_pagesThroughEverythingWithCursors_newestFirst() async throws {
        let harness = try await AdminHarness.make()
        _ = try await Self.seed(harness)
        try await harness.run { client in
            var seen: [String] = []
            var path = "/api/v1/links?limit=2"
            var pages = 0
            while true {
                let reply = try await client.get(path)
                #expect(reply.status == 200)
                seen += Self.codes(reply)
                pages += 1
                guard let cursor = reply.json["nextCursor"]?.stringValue else { break }
                path = "/api/v1/links?limit=2&cursor=\(cursor)"
            }
            #expect(pages == 3)
            #expect(seen == ["echo", "charlie", "delta", "Alpha", "bravo"])
        }
    }

    @Test func list_sortsByCodeBothWaysAcrossPages() async throws {
        let harness = try await AdminHarness.make()
        _ = try await Self.seed(harness)
        try await harness.run { client in
            for (sort, expected) in [
                ("shortCode", ["Alpha", "bravo", "charlie", "delta", "echo"]), ("-shortCode", ["echo", "delta", "charlie", "bravo", "Alpha"]),
                ("createdAt", ["bravo", "Alpha", "delta", "charlie", "echo"]),
            ] {
                let first = try await client.get("/api/v1/links?sort=\(sort)&limit=3")
                let cursor = try #require(first.json["nextCursor"]?.stringValue)
                let second = try await client.get("/api/v1/links?sort=\(sort)&limit=3&cursor=\(cursor)")
                #expect(Self.codes(first) + Self.codes(second) == expected, "\(sort)")
                #expect(second.json["nextCursor"] == .null)
            }
        }
    }

    @Test func list_filters() async throws {
        let harness = try await AdminHarness.make()
        let (acme, globex, campaign) = try await Self.seed(harness)
        let other = try await UserRepository(pool: harness.db.pool).find(email: "other@macondo.example")!
        try await harness.run { client in
            let cases: [(String, Set<String>)] = [
                ("clientId=\(acme.id)", ["bravo", "Alpha", "echo"]),
                ("clientId=\(globex.id)", ["delta", "charlie"]),
                ("campaignId=\(campaign.id)", ["bravo", "echo"]),
                ("userId=\(other.id)", ["delta"]),
                ("tag=sale", ["bravo", "Alpha"]),
                ("tag=new&clientId=\(globex.id)", ["charlie"]),
                ("q=shoes", ["bravo", "echo"]),
                ("q=ALPH", ["Alpha"]),
                ("q=post_", ["delta"]),
                ("q=%25", ["charlie"]),
                ("createdFrom=2000-01-01&createdBefore=2999-01-01T00:00:00Z", ["bravo", "Alpha", "delta", "charlie", "echo"]),
                ("createdBefore=2000-01-01T00:00:00Z", []),
                ("createdFrom=2999-01-01T00:00:00%2B02:00", []),
            ]
            for (query, expected) in cases {
                let reply = try await client.get("/api/v1/links?\(query)")
                #expect(reply.status == 200, "\(query): \(reply.body)")
                #expect(Set(Self.codes(reply)) == expected, "\(query)")
            }
        }
    }

    static let badParameters: [(String, String)] = [
        ("limit=0", "limit"), ("limit=501", "limit"), ("limit=abc", "limit"), ("sort=name", "sort"),
        ("clientId=42", "clientId"), ("createdFrom=last-week", "createdFrom"), ("cursor=garbage", "cursor"),
        ("colour=red", "colour"),
    ]

    @Test func list_withBadParameter_returns400NamingIt() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            for (query, parameter) in Self.badParameters {
                let reply = try await client.get("/api/v1/links?\(query)")
                #expect(reply.status == 400, "\(query)")
                #expect(reply.code == "invalid_request", "\(query)")
                #expect(reply.fields == [parameter], "\(query)")
            }
        }
    }

    @Test func list_cursorOfAnotherSort_isRefused() async throws {
        let harness = try await AdminHarness.make()
        _ = try await Self.seed(harness)
        try await harness.run { client in
            let first = try await client.get("/api/v1/links?limit=1")
            let cursor = try #require(first.json["nextCursor"]?.stringValue)
            let reply = try await client.get("/api/v1/links?sort=shortCode&cursor=\(cursor)")
            #expect(reply.status == 400)
            #expect(reply.ruleCodes == ["invalid_cursor"])
        }
    }
}
