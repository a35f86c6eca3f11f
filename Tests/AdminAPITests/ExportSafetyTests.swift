import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI
@testable import ShortLinkApp

/// The CSV reports against what the docs promise: formula cells neutralised (issue 14 #14),
/// `summary.csv` counting as the metrics do (#16), `to` defaulting to now (#17), repeated
/// filters OR'ed and other repeats refused (#18), campaigns by name (#20); through the API
/// and the real `shortlinks export`.
@Suite struct ExportSafetyTests {
    static let hostileReferrer = #"=HYPERLINK("http://evil.example/","x")"#

    /// Two clients that both have a campaign "Spring", links with hostile text in their
    /// clicks, and clicks of people and bots on 2026-07-01 and 07-02.
    struct Scene {
        let harness: AdminHarness
        let acme: Client
        let globex: Client
        let spring: Campaign
        let globexSpring: Campaign
        let links: [Link]
        let clicks: [StoredClick]

        /// 2026-07-01T00:00:00Z.
        static let start = Timestamp(microsecondsSinceEpoch: 1_782_864_000_000_000)

        static func make() async throws -> Scene {
            let harness = try await AdminHarness.make()
            let acme = try await harness.makeClient("Acme")
            let globex = try await harness.makeClient("Globex")
            let campaigns = CampaignRepository(pool: harness.db.pool)
            let spring = try await campaigns.create(clientID: acme.id, name: "Spring")
            let globexSpring = try await campaigns.create(clientID: globex.id, name: "Spring")
            let repository = LinkRepository(pool: harness.db.pool)
            var links: [Link] = []
            // (code, client, campaign, tags)
            let shapes: [(String, Client, Campaign?, [String])] = [
                ("-neg", acme, spring, ["demo"]), ("e1", acme, nil, ["email"]), ("g1", globex, globexSpring, ["demo"]),
                ("plain", acme, nil, []),
            ]
            for (code, client, campaign, tags) in shapes {
                links.append(
                    try await repository.create(
                        NewLink(
                            shortCode: ShortCode(code)!, originalURL: "https://example.com/\(code)", userID: harness.user.id,
                            clientID: client.id, campaignID: campaign?.id, tags: tags)))
            }
            var random = SplitMix64(seed: 99)
            var clicks: [StoredClick] = []
            for index in 0..<48 {
                let time = start.adding(seconds: Int64(index) * 3_599)
                let bot = index % 4 == 0
                clicks.append(
                    StoredClick(
                        id: EntityID.version7(unixMilliseconds: UInt64(time.microsecondsSinceEpoch / 1000), using: &random),
                        linkID: links[index % links.count].id, timestamp: time, ipAddress: IPAddress("198.51.100.\(index % 20)"),
                        userAgent: index % 3 == 0 ? "@SUM(1+1)*cmd|' /C calc'!A0" : "Mozilla/5.0",
                        referrer: index % 2 == 0 ? ExportSafetyTests.hostileReferrer : "https://news.example.org/",
                        country: index % 5 == 0 ? "DE" : "FR", city: index % 6 == 0 ? "\tTab City" : "Paris",
                        verdict: bot ? .bot("library:curl") : .human, device: "desktop", browser: "-Firefox", os: "+Linux",
                        visitorHash: Int64(index % 7)))
            }
            let store = PostgresClickStore(pool: harness.db.pool)
            _ = try await store.write(clicks)
            try await store.rollUpAll()
            return Scene(
                harness: harness, acme: acme, globex: globex, spring: spring, globexSpring: globexSpring, links: links,
                clicks: clicks)
        }

        func clicks(of links: [Link], bots: Bool) -> [StoredClick] {
            let ids = Set(links.map(\.id))
            return clicks.filter { ids.contains($0.linkID) && (bots || !$0.verdict.isBot) }
        }
    }

    /// `'` + text when the text starts like a formula.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    @Test func clicksCSV_neutralisesFormulaCells_inTextColumnsOnly_unlessRaw() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let safe = try await client.get("/api/v1/exports/clicks.csv?includeBots=true")
            #expect(safe.status == 200)
            for start in ["\n=", ",=", ",\"=", "\n\"="] { #expect(!safe.body.contains(start + "HYPERLINK"), "no cell starts with =") }
            #expect(safe.body.contains(#""'=HYPERLINK(""http://evil.example/"",""x"")""#), "prefixed and quoted as CSV needs")
            let records = try CSVReader.parse(safe.body).map(\.fields)
            #expect(records.first == ClickExport.clickColumns)
            let rows = Array(records.dropFirst())
            #expect(rows.count == scene.clicks.count)
            let byID = Dictionary(uniqueKeysWithValues: scene.clicks.map { ($0.id.description, $0) })
            let codes = Dictionary(uniqueKeysWithValues: scene.links.map { ($0.id.description, $0.shortCode.description) })
            for row in rows {
                let click = try #require(byID[row[0]])
                #expect(row[1] == click.timestamp.iso8601)
                #expect(row[2] == click.linkID.description, "ids are never changed")
                #expect(row[3] == Self.neutralised(codes[row[2]]!))
                #expect(row[4] == (click.verdict.isBot ? "true" : "false"))
                #expect(row[7] == Self.neutralised(click.city ?? ""))
                #expect(row[9] == "'-Firefox")
                #expect(row[10] == "'+Linux")
                #expect(row[11] == Self.neutralised(click.referrer ?? ""))
                #expect(row[12] == click.ipAddress?.description)
                #expect(row[13] == Self.neutralised(click.userAgent ?? ""))
            }
            #expect(rows.contains { $0[11] == "'" + ExportSafetyTests.hostileReferrer })
            #expect(rows.contains { $0[3] == "'-neg" })
            #expect(rows.contains { $0[7] == "'\tTab City" })
            // raw=true: exactly what was stored.
            let raw = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv?includeBots=true&raw=true").body)
                .dropFirst().map(\.fields)
            #expect(raw.count == scene.clicks.count)
            for row in raw {
                let click = try #require(byID[row[0]])
                #expect(row[3] == codes[row[2]])
                #expect(row[7] == (click.city ?? ""))
                #expect(row[11] == (click.referrer ?? ""))
                #expect(row[13] == click.userAgent)
            }
            // summary.csv: the short code is text, the counts stay numbers.
            let summary = try CSVReader.parse(try await client.get("/api/v1/exports/summary.csv?link=-neg").body).dropFirst()
            #expect(!summary.isEmpty)
            #expect(summary.allSatisfy { $0.fields[2] == "'-neg" && Int($0.fields[3]) != nil })
            let rawSummary = try CSVReader.parse(try await client.get("/api/v1/exports/summary.csv?link=-neg&raw=1").body).dropFirst()
            #expect(rawSummary.allSatisfy { $0.fields[2] == "-neg" })
            #expect(try await client.get("/api/v1/exports/clicks.csv?raw=perhaps").fields == ["raw"])
        }
    }

    @Test func summaryCSV_countsAsTheMetricsDo_withAndWithoutBots() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            for includeBots in [false, true] {
                let flag = includeBots ? "&includeBots=true" : ""
                let range = "from=2026-07-01&to=2026-07-04"
                let rows = try CSVReader.parse(try await client.get("/api/v1/exports/summary.csv?\(range)\(flag)").body)
                    .dropFirst().map(\.fields)
                #expect(!rows.isEmpty)
                var total = 0
                for link in scene.links {
                    let metrics = try await client.get("/api/v1/links/\(link.id)/metrics?\(range)&interval=day\(flag)")
                    #expect(metrics.status == 200)
                    for bucket in metrics.json["series"]?.arrayValue ?? [] {
                        let day = String(bucket["start"]?.stringValue?.prefix(10) ?? "")
                        let row = rows.first { $0[0] == day && $0[1] == link.id.description }
                        let clicks = Int(bucket["clicks"]?.numberValue ?? -1)
                        #expect(Int(row?[3] ?? "0") == clicks, "clicks of \(link.shortCode) on \(day), bots \(includeBots)")
                        #expect(Int(row?[5] ?? "0") == Int(bucket["botClicks"]?.numberValue ?? -1))
                        #expect(Int(row?[6] ?? "0") == Int(bucket["uniqueVisitors"]?.numberValue ?? -1))
                    }
                }
                for row in rows { total += Int(row[3]) ?? 0 }
                let organisation = try await client.get("/api/v1/metrics?\(range)\(flag)")
                #expect(Double(total) == organisation.json["totals"]?["clicks"]?.numberValue, "bots \(includeBots)")
                #expect(total == scene.clicks.filter { includeBots || !$0.verdict.isBot }.count)
            }
        }
    }

    @Test func exports_fromAlone_endNow() async throws {
        let scene = try await Scene.make()
        // One click dated tomorrow (a clock far off): after now, so outside `from` alone.
        var random = SplitMix64(seed: 5)
        let tomorrow = Timestamp.now().adding(seconds: 86_400)
        let future = StoredClick(
            id: EntityID.version7(unixMilliseconds: UInt64(tomorrow.microsecondsSinceEpoch / 1000), using: &random),
            linkID: scene.links[3].id, timestamp: tomorrow, ipAddress: IPAddress("198.51.100.1"), userAgent: "Mozilla/5.0",
            referrer: nil, country: nil, city: nil, verdict: .human, device: nil, browser: nil, os: nil, visitorHash: 1)
        let store = PostgresClickStore(pool: scene.harness.db.pool)
        _ = try await store.write([future])
        try await store.rollUpAll()
        let people = scene.clicks.filter { !$0.verdict.isBot }.count
        // The CLI the same way.
        let filter = try await ReportOperations(pool: scene.harness.db.pool).filter(.init(from: "2026-07-01"))
        let end = try #require(filter.to)
        #expect(end <= Timestamp.now() && end > Timestamp.now().adding(seconds: -60))
        try await scene.harness.run { client in
            let since = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv?from=2026-07-01").body).dropFirst()
            #expect(since.count == people, "to defaults to now")
            let far = try CSVReader.parse(try await client.get("/api/v1/exports/clicks.csv?from=2026-07-01&to=2100-01-01").body)
            #expect(far.count - 1 == people + 1)
            let summary = try CSVReader.parse(try await client.get("/api/v1/exports/summary.csv?from=2026-07-01").body).dropFirst()
            #expect(!summary.contains { $0.fields[0] == String(tomorrow.iso8601.prefix(10)) })
            let later = try await client.get("/api/v1/exports/clicks.csv?from=2100-01-01")
            #expect(later.status == 400)
            #expect(later.fields == ["from"])
        }
    }

    @Test func exports_repeatedFilters_areOREdWithinAndANDedAcross_otherRepeatsAre400() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            func count(_ query: String) async throws -> Int {
                let reply = try await client.get("/api/v1/exports/clicks.csv?includeBots=true&" + query)
                #expect(reply.status == 200, "\(query): \(reply.body)")
                return try CSVReader.parse(reply.body).count - 1
            }
            let links = scene.links
            #expect(try await count("tag=demo&tag=email") == scene.clicks(of: [links[0], links[1], links[2]], bots: true).count)
            #expect(try await count("tag=demo") == scene.clicks(of: [links[0], links[2]], bots: true).count)
            #expect(try await count("link=-neg&link=plain") == scene.clicks(of: [links[0], links[3]], bots: true).count)
            #expect(try await count("client=Globex&tag=demo&tag=email") == scene.clicks(of: [links[2]], bots: true).count)
            #expect(try await count("client=Acme&client=Globex&tag=email") == scene.clicks(of: [links[1]], bots: true).count)
            #expect(try await count("link=-neg&link=-neg") == scene.clicks(of: [links[0]], bots: true).count)
            // Any value that names nothing is a 404, as a single one is.
            #expect(try await client.get("/api/v1/exports/clicks.csv?tag=demo&tag=nope").status == 404)
            for query in [
                "from=2026-07-01&from=2026-07-02", "to=2026-07-03&to=2026-07-04", "includeBots=true&includeBots=false",
                "raw=true&raw=true",
            ] {
                let reply = try await client.get("/api/v1/exports/summary.csv?" + query)
                #expect(reply.status == 400, "\(query)")
                #expect(reply.ruleCodes == ["repeated"], "\(query)")
            }
            let tooMany = (0...ClickExportResolver.maximumValues).map { "tag=t\($0)" }.joined(separator: "&")
            #expect(try await client.get("/api/v1/exports/clicks.csv?" + tooMany).ruleCodes == ["too_many_values"])
            // The metrics and the link list take each parameter once.
            let metrics = try await client.get("/api/v1/metrics?interval=day&interval=hour")
            #expect(metrics.status == 400)
            #expect(metrics.fields == ["interval"])
            #expect(metrics.ruleCodes == ["repeated"])
            let list = try await client.get("/api/v1/links?tag=demo&tag=email")
            #expect(list.status == 400)
            #expect(list.ruleCodes == ["repeated"])
        }
    }

    @Test func exports_acceptCampaignNames_andSayWhenOneIsAmbiguous() async throws {
        let scene = try await Scene.make()
        try await scene.harness.run { client in
            let ambiguous = try await client.get("/api/v1/exports/clicks.csv?campaign=Spring")
            #expect(ambiguous.status == 400)
            #expect(ambiguous.ruleCodes == ["ambiguous"])
            #expect(ambiguous.body.contains("Acme, Globex"))
            let acme = try await client.get("/api/v1/exports/clicks.csv?campaign=Spring&client=Acme&includeBots=true")
            #expect(try CSVReader.parse(acme.body).count - 1 == scene.clicks(of: [scene.links[0]], bots: true).count)
            let both = try await client.get("/api/v1/exports/clicks.csv?campaign=Spring&client=Acme&client=Globex&includeBots=true")
            #expect(try CSVReader.parse(both.body).count - 1 == scene.clicks(of: [scene.links[0], scene.links[2]], bots: true).count)
            let byID = try await client.get("/api/v1/exports/clicks.csv?campaign=\(scene.globexSpring.id)&includeBots=true")
            #expect(try CSVReader.parse(byID.body).count - 1 == scene.clicks(of: [scene.links[2]], bots: true).count)
            #expect(try await client.get("/api/v1/exports/clicks.csv?campaign=Autumn").status == 404)
            #expect(try await client.get("/api/v1/exports/clicks.csv?campaign=Spring&client=\(EntityID.random())").status == 404)
        }
    }

    @Test func exportCommand_neutralisesRepeatsFiltersAndNamesCampaigns() async throws {
        let scene = try await Scene.make()
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        let url = scene.harness.db.url
        let safe = try await run(binary, ["export", "clicks", "--include-bots"], url: url)
        #expect(safe.status == 0, "\(safe.stderr)")
        let rows = try CSVReader.parse(safe.stdout).dropFirst().map(\.fields)
        #expect(rows.count == scene.clicks.count)
        #expect(rows.contains { $0[11] == "'" + ExportSafetyTests.hostileReferrer })
        #expect(!rows.contains { $0[11] == ExportSafetyTests.hostileReferrer })
        let raw = try await run(binary, ["export", "clicks", "--include-bots", "--raw"], url: url)
        #expect(raw.status == 0)
        #expect(try CSVReader.parse(raw.stdout).dropFirst().contains { $0.fields[11] == ExportSafetyTests.hostileReferrer })
        let tags = try await run(binary, ["export", "clicks", "--include-bots", "--tag", "demo", "--tag", "email"], url: url)
        #expect(tags.status == 0, "\(tags.stderr)")
        #expect(try CSVReader.parse(tags.stdout).count - 1 == scene.clicks(of: Array(scene.links.prefix(3)), bots: true).count)
        let twice = try await run(binary, ["export", "clicks", "--from", "2026-07-01", "--from", "2026-07-02"], url: url)
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("--from may be given only once"))
        let ambiguous = try await run(binary, ["export", "clicks", "--campaign", "Spring"], url: url)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("campaign name 'Spring' is ambiguous"))
        #expect(ambiguous.stderr.contains("--client"))
        let named = try await run(binary, ["export", "clicks", "--include-bots", "--campaign", "Spring", "--client", "Globex"], url: url)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try CSVReader.parse(named.stdout).count - 1 == scene.clicks(of: [scene.links[2]], bots: true).count)
        let summary = try await run(binary, ["export", "summary", "--link=-neg"], url: url)
        #expect(summary.status == 0, "\(summary.stderr)")
        let summaryRows = try CSVReader.parse(summary.stdout).dropFirst()
        #expect(!summaryRows.isEmpty)
        #expect(summaryRows.allSatisfy { $0.fields[2] == "'-neg" })
        // Last: run() drops the database when it ends.
        try await scene.harness.run { client in
            let viaAPI = try await client.get("/api/v1/exports/clicks.csv?includeBots=true").body
            #expect(safe.stdout == viaAPI)
            let rawViaAPI = try await client.get("/api/v1/exports/clicks.csv?includeBots=true&raw=true").body
            #expect(raw.stdout == rawViaAPI)
        }
    }

    private func run(_ binary: URL, _ arguments: [String], url: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            binary, arguments, environment: ["DATABASE_URL": url],
            directory: binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    }
}
