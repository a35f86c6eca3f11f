import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI
@testable import ShortLinkApp

/// The metrics and export endpoints over a database written by the click writer's path,
/// and `shortlinks export` through the real binary.
@Suite struct MetricsEndpointTests {
    /// A client with a campaign, three links (two tagged), and clicks written by the store.
    struct Scene {
        let harness: AdminHarness
        let client: Client
        let campaign: Campaign
        let links: [Link]
        let clicks: [StoredClick]
        let tagID: EntityID

        /// 2026-07-01T00:00:00Z.
        static let start = Timestamp(microsecondsSinceEpoch: 1_782_864_000_000_000)

        static let awkwardAgents = [
            "Mozilla/5.0 (X11; Linux x86_64) Gecko, \"quoted\" and, commas",
            "line one\nline two, with a comma",
            "plain\r\ncrlf \"q\"",
            "Mozilla/5.0",
        ]

        static func make() async throws -> Scene {
            let harness = try await AdminHarness.make()
            let client = try await harness.makeClient()
            let campaign = try await CampaignRepository(pool: harness.db.pool).create(clientID: client.id, name: "Summer")
            let repository = LinkRepository(pool: harness.db.pool)
            var links: [Link] = []
            for (index, tags) in [["launch"], ["launch", "mail"], []].enumerated() {
                links.append(
                    try await repository.create(
                        NewLink(
                            shortCode: ShortCode("m\(index)")!, originalURL: "https://example.com/\(index)", userID: harness.user.id,
                            clientID: client.id, campaignID: index < 2 ? campaign.id : nil, tags: tags)))
            }
            var random = SplitMix64(seed: 17)
            var clicks: [StoredClick] = []
            for index in 0..<240 {
                let bot = index % 5 == 0
                let time = start.adding(seconds: Int64(index) * 997)
                clicks.append(
                    StoredClick(
                        id: EntityID.version7(unixMilliseconds: UInt64(time.microsecondsSinceEpoch / 1000), using: &random),
                        linkID: links[index % 3].id, timestamp: time, ipAddress: IPAddress("203.0.113.\(index % 50)"),
                        userAgent: awkwardAgents[index % awkwardAgents.count],
                        referrer: index % 4 == 0 ? "https://news.example.org/a,b?\"x\"" : nil,
                        country: index % 3 == 0 ? "DE" : "FR", city: index % 3 == 0 ? "Berlin" : nil,
                        verdict: bot ? .bot("library:curl") : .human, device: "desktop", browser: "Firefox", os: "Linux",
                        visitorHash: Int64(index % 60)))
            }
            let store = PostgresClickStore(pool: harness.db.pool)
            _ = try await store.write(clicks)
            try await store.rollUpAll()
            let tag = try #require(try await TagRepository(pool: harness.db.pool).find(name: "launch"))
            return Scene(harness: harness, client: client, campaign: campaign, links: links, clicks: clicks, tagID: tag.id)
        }

        var range: String { "from=2026-07-01&to=2026-07-05" }
    }

    @Test func metrics_answerForEveryScope_withBotsApartByDefault() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let humans = scene.clicks.filter { !$0.verdict.isBot }
            let cases: [(String, [StoredClick], Bool)] = [
                ("/api/v1/metrics", scene.clicks, true),
                ("/api/v1/clients/\(scene.client.id)/metrics", scene.clicks, true),
                ("/api/v1/campaigns/\(scene.campaign.id)/metrics", scene.clicks.filter { $0.linkID != scene.links[2].id }, true),
                ("/api/v1/tags/\(scene.tagID)/metrics", scene.clicks.filter { $0.linkID != scene.links[2].id }, true),
                ("/api/v1/links/\(scene.links[2].id)/metrics", scene.clicks.filter { $0.linkID == scene.links[2].id }, false),
            ]
            for (path, expected, hasTopLinks) in cases {
                let reply = try await client.get(path + "?" + scene.range + "&interval=day")
                #expect(reply.status == 200, "\(path): \(reply.body)")
                let totals = try #require(reply.json["totals"])
                let people = expected.filter { !$0.verdict.isBot }.count
                #expect(totals["clicks"]?.numberValue == Double(people), "\(path)")
                #expect(totals["humanClicks"]?.numberValue == Double(people))
                #expect(totals["botClicks"]?.numberValue == Double(expected.count - people))
                let visitors = Set(expected.filter { !$0.verdict.isBot }.compactMap(\.visitorHash)).count
                #expect(totals["uniqueVisitors"]?.numberValue == Double(visitors), "small sets are exact in hll")
                let series = reply.json["series"]?.arrayValue ?? []
                #expect(series.count == 4)
                #expect(series.first?["start"]?.stringValue == "2026-07-01T00:00:00Z")
                #expect(series.compactMap { $0["clicks"]?.numberValue }.reduce(0, +) == Double(people))
                #expect(reply.json["top"]?["botReasons"]?.arrayValue?.first?["reason"]?.stringValue == "library:curl")
                #expect(reply.json["top"]?["countries"]?.arrayValue?.isEmpty == false)
                #expect((reply.json["topLinks"] != nil) == hasTopLinks, "\(path)")
                let withBots = try await client.get(path + "?" + scene.range + "&includeBots=true")
                #expect(withBots.json["totals"]?["clicks"]?.numberValue == Double(expected.count))
            }
            // Top links of the client: most clicks first, codes and ids.
            let top = try await client.get("/api/v1/clients/\(scene.client.id)/metrics?\(scene.range)")
            let codes = top.json["topLinks"]?.arrayValue?.compactMap { $0["shortCode"]?.stringValue } ?? []
            #expect(Set(codes) == ["m0", "m1", "m2"])
            let cities = top.json["top"]?["cities"]?.arrayValue ?? []
            #expect(cities.first?["city"]?.stringValue == "Berlin")
            #expect(cities.first?["country"]?.stringValue == "DE")
            let referrers = top.json["top"]?["referrers"]?.arrayValue?.compactMap { $0["host"]?.stringValue }
            #expect(referrers == ["news.example.org"])
            _ = humans
        }
    }

    @Test func metrics_refuseBadInputWithProblems_andUnknownScopesWith404() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let bad = try await client.get("/api/v1/metrics?tz=Mars/Olympus&interval=year&includeBots=maybe&top=0&color=red")
            #expect(bad.status == 400)
            #expect(bad.contentType == "application/problem+json")
            #expect(Set(bad.fields) == ["tz", "interval", "includeBots", "top", "color"])
            let backwards = try await client.get("/api/v1/metrics?from=2026-07-05&to=2026-07-01")
            #expect(backwards.status == 400)
            #expect(backwards.fields == ["from"])
            let tooMany = try await client.get("/api/v1/metrics?from=2020-01-01&to=2026-07-01&interval=hour")
            #expect(tooMany.status == 400)
            #expect(tooMany.ruleCodes == ["too_many_buckets"])
            let badTime = try await client.get("/api/v1/metrics?from=yesterday")
            #expect(badTime.fields == ["from"])
            for path in [
                "/api/v1/links/\(EntityID.random())/metrics", "/api/v1/links/not-an-id/metrics",
                "/api/v1/campaigns/\(EntityID.random())/metrics", "/api/v1/clients/\(EntityID.random())/metrics",
                "/api/v1/tags/\(EntityID.random())/metrics",
            ] {
                let missing = try await client.get(path)
                #expect(missing.status == 404, "\(path)")
                #expect(missing.code == "not_found")
            }
            #expect(try await client.get("/api/v1/metrics", auth: .none).status == 401)
            #expect(try await client.get("/api/v1/exports/clicks.csv", auth: .none).status == 401)
            let zone = try await client.get("/api/v1/metrics?\(scene.range)&tz=America/New_York")
            #expect(zone.json["series"]?.arrayValue?.first?["start"]?.stringValue == "2026-06-30T00:00:00-04:00")
        }
    }

    @Test func clicksCSV_readsBackToTheStoredRows_withQuotesCommasAndNewlines() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let reply = try await client.get("/api/v1/exports/clicks.csv?includeBots=true")
            #expect(reply.status == 200)
            #expect(reply.contentType == "text/csv; charset=utf-8")
            let records = try CSVReader.parse(reply.body).map(\.fields)
            #expect(records.first == ClickExport.clickColumns)
            let rows = Array(records.dropFirst())
            #expect(rows.count == scene.clicks.count)
            let byID = Dictionary(uniqueKeysWithValues: scene.clicks.map { ($0.id.description, $0) })
            var previous = ""
            for row in rows {
                let click = try #require(byID[row[0]], "unknown id \(row[0])")
                #expect(row[1] == click.timestamp.iso8601)
                #expect(row[1] >= previous, "oldest first")
                previous = row[1]
                #expect(row[2] == click.linkID.description)
                #expect(row[4] == (click.verdict.isBot ? "true" : "false"))
                #expect(row[5] == (click.verdict.reason ?? ""))
                #expect(row[6] == (click.country ?? ""))
                #expect(row[11] == (click.referrer ?? ""))
                #expect(row[12] == click.ipAddress?.description)
                #expect(row[13] == click.userAgent)
            }
            // People only by default; filters by link code, tag name, campaign and time.
            let people = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv").body).dropFirst()
            #expect(people.count == scene.clicks.filter { !$0.verdict.isBot }.count)
            #expect(people.allSatisfy { $0.fields[4] == "false" })
            let one = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv?link=m2&includeBots=1").body).dropFirst()
            #expect(one.count == scene.clicks.filter { $0.linkID == scene.links[2].id }.count)
            #expect(one.allSatisfy { $0.fields[3] == "m2" })
            let tagged = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv?tag=mail&includeBots=true").body).dropFirst()
            #expect(tagged.count == scene.clicks.filter { $0.linkID == scene.links[1].id }.count)
            let campaign = try CSVReader.parse(
                try await client.get("/api/v1/exports/clicks.csv?campaign=\(scene.campaign.id)&client=Acme&includeBots=true").body
            ).dropFirst()
            #expect(campaign.count == scene.clicks.filter { $0.linkID != scene.links[2].id }.count)
            let cut = Scene.start.adding(seconds: 100_000)
            let early = try CSVReader.parse(
                try await client.get("/api/v1/exports/clicks.csv?to=\(cut.iso8601)&includeBots=true").body
            ).dropFirst()
            #expect(early.count == scene.clicks.filter { $0.timestamp < cut }.count)
            // Bad filters change nothing and say why.
            #expect(try await client.get("/api/v1/exports/clicks.csv?link=nope").status == 404)
            #expect(try await client.get("/api/v1/exports/clicks.csv?tag=nope").status == 404)
            let bad = try await client.get("/api/v1/exports/clicks.csv?includeBots=maybe&from=then&limit=3")
            #expect(bad.status == 400)
            #expect(Set(bad.fields) == ["includeBots", "from", "limit"])
            #expect(try await client.get("/api/v1/exports/clicks.csv?campaign=x").status == 404, "campaigns by id or name")
        }
    }

    @Test func summaryCSV_hasOneRowPerLinkAndDay_fromTheRollups() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let reply = try await client.get("/api/v1/exports/summary.csv?includeBots=true")
            #expect(reply.status == 200)
            let records = try CSVReader.parse(reply.body).map(\.fields)
            #expect(records.first == ClickExport.summaryColumns)
            var expected: [String: (all: Int, bots: Int)] = [:]
            for click in scene.clicks {
                let key = "\(click.timestamp.iso8601.prefix(10)) \(click.linkID)"
                expected[key, default: (0, 0)].all += 1
                if click.verdict.isBot { expected[key, default: (0, 0)].bots += 1 }
            }
            let rows = records.dropFirst()
            #expect(rows.count == expected.count)
            for row in rows {
                let counts = try #require(expected["\(row[0]) \(row[1])"])
                #expect(row[3] == String(counts.all))
                #expect(row[4] == String(counts.all - counts.bots))
                #expect(row[5] == String(counts.bots))
                #expect(["DE", "FR"].contains(row[7]))
            }
        }
    }

    @Test func exportCommand_writesTheSameCSVToAFile_andRefusesBadInput() async throws {
        let scene = try await Scene.make()
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        let file = NSTemporaryDirectory() + "clicks-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let url = scene.harness.db.url
        let exported = try await run(binary, ["export", "clicks", "--include-bots", "--client", "Acme", "-o", file], url: url)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("exported \(scene.clicks.count) rows"))
        let written = try String(contentsOfFile: file, encoding: .utf8)
        let summary = try await run(binary, ["export", "summary", "--link", "m1"], url: url)
        #expect(summary.status == 0)
        #expect(summary.stdout.hasPrefix(ClickExport.summaryColumns.joined(separator: ",")))
        let unknown = try await run(binary, ["export", "clicks", "--tag", "nope"], url: url)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no such tag: nope"))
        let wrong = try await run(binary, ["export", "everything"], url: url)
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("report must be clicks or summary"))
        let badTime = try await run(binary, ["export", "clicks", "--from", "soon"], url: url)
        #expect(badTime.status != 0)
        #expect(badTime.stderr.contains("--from must be an RFC 3339 time"))
        let rebuilt = try await run(binary, ["rollups", "rebuild", "--from", "2026-07-01", "--to", "2026-07-03"], url: url)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("from \(scene.clicks.count) raw clicks"))
        let badDay = try await run(binary, ["rollups", "rebuild", "--from", "July"], url: url)
        #expect(badDay.status != 0)
        #expect(badDay.stderr.contains("--from must be a date"))
        try await scene.harness.run { client in
            let viaAPI = try await client.get("/api/v1/exports/clicks.csv?includeBots=true")
            #expect(written == viaAPI.body)
        }
    }

    private func run(_ binary: URL, _ arguments: [String], url: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            binary, arguments, environment: ["DATABASE_URL": url],
            directory: binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    }
}
