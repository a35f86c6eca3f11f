import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import Storage

/// Rollups written by the click writer's own path (`PostgresClickStore.write`) against
/// raw clicks, on a real Postgres with the hll extension.
@Suite(.teardown) struct RollupTests {
    /// Two clients, a campaign, tags, six links, and a store.
    struct World {
        let fixture: Fixture
        let links: [Link]
        let otherClient: Client
        let tagged: EntityID
        /// The in-memory rollup groups the store's writes feed (migration 0012); `nil`: every
        /// batch is rolled up from its raw rows.
        let groups: RollupAccumulator?
        var store: PostgresClickStore { PostgresClickStore(pool: fixture.db.pool, accumulator: groups) }
        var metrics: MetricsRepository { MetricsRepository(pool: fixture.db.pool) }
        var pool: PGPool { fixture.db.pool }

        /// Writes as the click writer does, then lets the rollup worker count everything
        /// pending, as its next cycle would.
        @discardableResult
        func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
            let result = try await store.write(clicks)
            try await store.rollUpAll()
            return result
        }

        static func make(inMemory: Bool = false) async throws -> World {
            let fixture = try await Fixture.make()
            let other = try await ClientRepository(pool: fixture.db.pool).create(name: "Globex")
            var links: [Link] = []
            links.append(try await fixture.link("r0", campaign: fixture.campaign.id, tags: ["news"]))
            links.append(try await fixture.link("r1", campaign: fixture.campaign.id, tags: ["news", "promo"]))
            links.append(try await fixture.link("r2", tags: ["promo"]))
            links.append(try await fixture.link("r3"))
            links.append(try await fixture.link("r4", tags: ["news"], client: other.id))
            links.append(try await fixture.link("r5", client: other.id))
            let tag = try #require(try await TagRepository(pool: fixture.db.pool).find(name: "news"))
            return World(
                fixture: fixture, links: links, otherClient: other, tagged: tag.id, groups: inMemory ? RollupAccumulator() : nil)
        }

        /// Every scope with the SQL condition that selects its raw clicks (`c` is clicks).
        var scopes: [(MetricsScope, String)] {
            [
                (.organisation, "true"),
                (.client(fixture.client.id), "c.link_id IN (SELECT id FROM links WHERE client_id = '\(fixture.client.id)')"),
                (.campaign(fixture.campaign.id), "c.link_id IN (SELECT id FROM links WHERE campaign_id = '\(fixture.campaign.id)')"),
                (.tag(tagged), "c.link_id IN (SELECT link_id FROM link_tags WHERE tag_id = '\(tagged)')"),
                (.link(links[1].id), "c.link_id = '\(links[1].id)'"),
            ]
        }

        func rawCount(_ condition: String, from: Timestamp, to: Timestamp, extra: String = "true") async throws -> Int64 {
            try await pool.query(
                "SELECT count(*) FROM clicks c WHERE \(condition) AND \(extra) AND c.link_id IN (SELECT id FROM links) AND c.\"timestamp\" >= $1 AND c.\"timestamp\" < $2",
                [PGTimestamp(microsecondsSinceEpoch: from.microsecondsSinceEpoch), PGTimestamp(microsecondsSinceEpoch: to.microsecondsSinceEpoch)]
            )[0].decode(0, as: Int64.self)
        }

        func rawDistinctVisitors(_ condition: String, from: Timestamp, to: Timestamp, humansOnly: Bool) async throws -> Int64 {
            try await pool.query(
                """
                SELECT count(DISTINCT visitor_hash) FROM clicks c
                WHERE \(condition) AND (NOT $3 OR NOT c.is_bot) AND c."timestamp" >= $1 AND c."timestamp" < $2
                """,
                [
                    PGTimestamp(microsecondsSinceEpoch: from.microsecondsSinceEpoch), PGTimestamp(microsecondsSinceEpoch: to.microsecondsSinceEpoch),
                    humansOnly,
                ]
            )[0].decode(0, as: Int64.self)
        }

        func rollupRowCount(link: EntityID) async throws -> Int {
            try await pool.query(
                """
                SELECT (SELECT count(*) FROM link_rollups_hourly WHERE link_id = $1)
                     + (SELECT count(*) FROM link_rollups_daily WHERE link_id = $1)
                     + (SELECT count(*) FROM link_rollups_dimensions WHERE link_id = $1)
                """, [link.pg])[0].decode(0, as: Int.self)
        }

        /// Every rollup row as text (sketches as their cardinality), in key order.
        func rollupDigest() async throws -> [String] {
            try await pool.query(
                """
                SELECT 'h ' || link_id || ' ' || hour || ' ' || clicks || ' ' || bot_clicks || ' '
                       || hll_cardinality(visitors) || ' ' || hll_cardinality(human_visitors) FROM link_rollups_hourly
                UNION ALL SELECT 'd ' || link_id || ' ' || day || ' ' || clicks || ' ' || bot_clicks || ' '
                       || hll_cardinality(visitors) || ' ' || hll_cardinality(human_visitors) FROM link_rollups_daily
                UNION ALL SELECT 'm ' || link_id || ' ' || month || ' ' || clicks || ' ' || bot_clicks FROM link_rollups_monthly
                UNION ALL SELECT 'D ' || scope::text || ' ' || scope_id || ' ' || day || ' ' || clicks || ' ' || bot_clicks || ' '
                       || hll_cardinality(visitors) || ' ' || hll_cardinality(human_visitors) FROM scope_rollups_daily
                UNION ALL SELECT 'x ' || link_id || ' ' || day || ' ' || dimension::text || ' ' || value || ' ' || clicks || ' ' || bot_clicks
                          FROM link_rollups_dimensions
                UNION ALL SELECT 'H ' || scope::text || ' ' || scope_id || ' ' || hour || ' ' || clicks || ' ' || bot_clicks || ' '
                       || hll_cardinality(visitors) || ' ' || hll_cardinality(human_visitors) FROM scope_rollups_hourly
                UNION ALL SELECT 'X ' || scope::text || ' ' || scope_id || ' ' || day || ' ' || dimension::text || ' ' || value || ' '
                       || clicks || ' ' || bot_clicks FROM scope_rollups_dimensions
                ORDER BY 1
                """
            ).map { try $0.decode(0, as: String.self) }
        }
    }

    static let hour: Int64 = 3_600_000_000
    /// 2026-06-01T00:00:00Z.
    static let june = Timestamp(microsecondsSinceEpoch: 1_780_272_000_000_000)

    static func click(_ link: EntityID, at time: Timestamp, random: inout SplitMix64) -> StoredClick {
        let bot = random.chance(20)
        let place = random.pick([("DE", "Berlin"), ("DE", "Hamburg"), ("FR", "Paris"), ("US", nil)] as [(String, String?)])
        let known = random.chance(85)
        return StoredClick(
            id: EntityID.version7(unixMilliseconds: UInt64(time.microsecondsSinceEpoch / 1000), using: &random), linkID: link,
            timestamp: time, ipAddress: nil, userAgent: bot ? "curl/8.5.0" : "Mozilla/5.0",
            referrer: random.pick([nil, "https://www.Google.com/search?q=x", "https://t.co/abc", "not a url"]),
            country: known ? place.0 : nil, city: known ? place.1 : nil,
            verdict: bot ? .bot(random.pick(["library:curl", "crawler:googlebot", "method:head"])) : .human,
            device: random.pick(["desktop", "mobile", nil]), browser: random.pick(["Chrome", "Safari"]), os: random.pick(["iOS", "Linux"]),
            visitorHash: Int64(random.int(in: 0...400)))
    }

    /// Random clicks over `hours` hours from `start`, written in batches; one batch twice.
    static func writeRandomClicks(_ world: World, count: Int, start: Timestamp, hours: Int, seed: UInt64) async throws -> [StoredClick] {
        var random = SplitMix64(seed: seed)
        let clicks = (0..<count).map { _ in
            click(
                random.pick(world.links).id,
                at: Timestamp(microsecondsSinceEpoch: start.microsecondsSinceEpoch + Int64(random.int(in: 0...(hours * 3600 - 1))) * 1_000_000),
                random: &random)
        }
        var batches: [[StoredClick]] = []
        var index = 0
        while index < clicks.count {
            let size = random.int(in: 50...400)
            batches.append(Array(clicks[index..<min(index + size, clicks.count)]))
            index += size
        }
        for batch in batches { _ = try await world.store.write(batch) }
        // Batches are counted by the rollup worker, several at a time.
        #expect(try await world.store.rollUpAll(maxClicks: 1000) == clicks.count)
        // A replay of a batch that is already stored adds nothing, to clicks or rollups.
        let replay = try await world.write(batches[batches.count / 2])
        #expect(replay.inserted == 0)
        #expect(replay.duplicates == batches[batches.count / 2].count)
        return clicks
    }

    @Test(arguments: [false, true]) func rollupTotalsEqualRawCountsForRandomRanges(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        let start = Self.june
        let clicks = try await Self.writeRandomClicks(world, count: 3000, start: start, hours: 24 * 10, seed: 11)
        #expect(try await world.fixture.count("SELECT count(*) FROM clicks") == clicks.count)
        var random = SplitMix64(seed: 99)
        for _ in 0..<8 {
            let first = random.int(in: 0...(24 * 10 - 2))
            let last = random.int(in: (first + 1)...(24 * 10))
            let from = start.adding(seconds: Int64(first) * 3600)
            let to = start.adding(seconds: Int64(last) * 3600)
            for (scope, condition) in world.scopes {
                // Hours; UTC days (whole days from the daily rows, the edges from hours); local days.
                for (includeBots, interval, zone) in [
                    (false, MetricsInterval.hour, "UTC"), (true, .hour, "UTC"), (false, .day, "UTC"), (true, .week, "Etc/UTC"),
                    (false, .day, "Europe/Berlin"),
                ] {
                    let report = try await world.metrics.report(
                        MetricsQuery(scope: scope, from: from, to: to, interval: interval, timeZone: zone, includeBots: includeBots))
                    let all = try await world.rawCount(condition, from: from, to: to)
                    let bots = try await world.rawCount(condition, from: from, to: to, extra: "c.is_bot")
                    #expect(report.totals.botClicks == bots, "\(scope) \(from)…\(to)")
                    #expect(report.totals.humanClicks == all - bots, "\(scope) \(from)…\(to)")
                    #expect(report.totals.clicks == (includeBots ? all : all - bots), "\(scope) \(from)…\(to)")
                    if interval == .hour { #expect(report.series.count == last - first) }
                    #expect(report.series.reduce(0) { $0 + $1.clicks } == report.totals.clicks)
                    let exact = try await world.rawDistinctVisitors(condition, from: from, to: to, humansOnly: !includeBots)
                    let error = abs(report.totals.uniqueVisitors - exact)
                    #expect(error <= max(3, exact * 7 / 100), "unique visitors \(report.totals.uniqueVisitors) vs exact \(exact)")
                }
            }
        }
    }

    @Test(arguments: [false, true]) func topListsAndTopLinksMatchRawClicksAndLeaveBotsOutByDefault(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        _ = try await Self.writeRandomClicks(world, count: 1500, start: Self.june, hours: 24 * 3, seed: 5)
        let from = Self.june
        let to = Self.june.adding(seconds: 2 * 86_400)
        for (scope, condition) in world.scopes {
            for includeBots in [false, true] {
                let report = try await world.metrics.report(
                    MetricsQuery(scope: scope, from: from, to: to, includeBots: includeBots, top: 50))
                let people = includeBots ? "true" : "NOT c.is_bot"
                let timeRange = "c.\"timestamp\" >= '\(from.iso8601)' AND c.\"timestamp\" < '\(to.iso8601)'"
                let countries = try await world.pool.query(
                    """
                    SELECT coalesce(country, ''), count(*) FROM clicks c WHERE \(condition) AND \(people) AND \(timeRange)
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """
                ).map { MetricsReport.Entry(value: try $0.decode(0, as: String.self), clicks: try $0.decode(1, as: Int64.self)) }
                #expect(report.top[.country] == countries, "\(scope) includeBots=\(includeBots)")
                let referrers = try await world.pool.query(
                    """
                    SELECT referrer_host(referrer), count(*) FROM clicks c WHERE \(condition) AND \(people) AND \(timeRange)
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """
                ).map { MetricsReport.Entry(value: try $0.decode(0, as: String.self), clicks: try $0.decode(1, as: Int64.self)) }
                #expect(report.top[.referrer] == referrers)
                let cities = try await world.pool.query(
                    """
                    SELECT coalesce(country, '') || chr(31) || city, count(*) FROM clicks c
                    WHERE \(condition) AND \(people) AND \(timeRange) AND city IS NOT NULL
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """
                ).map { MetricsReport.Entry(value: try $0.decode(0, as: String.self), clicks: try $0.decode(1, as: Int64.self)) }
                #expect(report.top[.city] == cities)
                for (dimension, column) in [(MetricsDimension.device, "device"), (.browser, "browser"), (.os, "os")] {
                    let values = try await world.pool.query(
                        """
                        SELECT coalesce(\(column), ''), count(*) FROM clicks c WHERE \(condition) AND \(people) AND \(timeRange)
                        GROUP BY 1 ORDER BY 2 DESC, 1
                        """
                    ).map { MetricsReport.Entry(value: try $0.decode(0, as: String.self), clicks: try $0.decode(1, as: Int64.self)) }
                    #expect(report.top[dimension] == values, "\(column)")
                }
                #expect(Set(referrers.map(\.value)).isSubset(of: ["", "google.com", "t.co"]))
                let reasons = try await world.pool.query(
                    """
                    SELECT bot_reason, count(*) FROM clicks c WHERE \(condition) AND c.is_bot AND \(timeRange)
                    GROUP BY 1 ORDER BY 2 DESC, 1
                    """
                ).map { MetricsReport.Entry(value: try $0.decode(0, as: String.self), clicks: try $0.decode(1, as: Int64.self)) }
                #expect(report.top[.botReason] == reasons)
                if case .link = scope {
                    #expect(report.topLinks == nil)
                } else {
                    let links = try await world.pool.query(
                        """
                        SELECT l.short_code, count(*) FROM clicks c JOIN links l ON l.id = c.link_id
                        WHERE \(condition) AND \(people) AND \(timeRange) GROUP BY l.id ORDER BY 2 DESC, l.id
                        """
                    ).map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: Int64.self))" }
                    #expect(report.topLinks?.map { "\($0.shortCode)=\($0.clicks)" } == links)
                }
            }
        }
    }

    @Test func topLinksOverWholeMonthsMatchRawClicks() async throws {
        let world = try await World.make()
        // 20 May to 10 August, links drawn unevenly so that bounds from whole months prune.
        let start = Self.june.adding(seconds: -12 * 86_400)
        var random = SplitMix64(seed: 77)
        var clicks: [StoredClick] = []
        for _ in 0..<2400 {
            let pick = random.int(in: 0...99)
            let link = world.links[pick < 40 ? 0 : pick < 65 ? 1 : pick < 80 ? 2 : pick < 90 ? 3 : pick < 96 ? 4 : 5]
            let time = start.adding(seconds: Int64(random.int(in: 0...(82 * 86_400 - 1))))
            clicks.append(Self.click(link.id, at: time, random: &random))
        }
        _ = try await world.write(clicks)
        for (fromText, toText, top) in [
            ("2026-05-25T05:00:00Z", "2026-08-03T00:00:00Z", 2), ("2026-05-20", "2026-08-11", 3), ("2026-06-01", "2026-07-01", 1),
            ("2026-06-03", "2026-06-20", 6), ("2026-05-31T23:00:00Z", "2026-08-01", 4),
        ] {
            let from = try #require(ISO8601.parse(fromText))
            let to = try #require(ISO8601.parse(toText))
            for ((scope, condition), includeBots) in world.scopes.dropLast().flatMap({ scope in [(scope, false), (scope, true)] }) {
                let query = MetricsQuery(scope: scope, from: from, to: to, includeBots: includeBots, top: top)
                let report = try await world.metrics.report(query)
                // Top lists cover the UTC days the range touches.
                let firstDay = Timestamp(microsecondsSinceEpoch: query.dayRange.lowerBound * 86_400_000_000)
                let endDay = Timestamp(microsecondsSinceEpoch: (query.dayRange.upperBound + 1) * 86_400_000_000)
                let expected = try await world.pool.query(
                    """
                    SELECT l.short_code, count(*) FROM clicks c JOIN links l ON l.id = c.link_id
                    WHERE \(condition) AND ($1 OR NOT c.is_bot) AND c."timestamp" >= $2 AND c."timestamp" < $3
                    GROUP BY l.id ORDER BY 2 DESC, l.id LIMIT $4
                    """,
                    [
                        includeBots, PGTimestamp(microsecondsSinceEpoch: firstDay.microsecondsSinceEpoch),
                        PGTimestamp(microsecondsSinceEpoch: endDay.microsecondsSinceEpoch), top,
                    ]
                ).map { "\(try $0.decode(0, as: String.self))=\(try $0.decode(1, as: Int64.self))" }
                #expect(report.topLinks?.map { "\($0.shortCode)=\($0.clicks)" } == expected, "\(scope) \(fromText)…\(toText) top \(top)")
            }
        }
    }

    @Test func dailyBucketsFollowTheTimeZoneAcrossDaylightSavingChanges() async throws {
        let world = try await World.make()
        onTeardown { await world.fixture.db.drop() }
        let link = world.links[0].id
        // One click at every UTC hour around both 2026 changes in Europe/Berlin
        // (29 March: 23 hours; 25 October: 25 hours).
        var random = SplitMix64(seed: 3)
        for (startText, days) in [("2026-03-27T00:00:00+01:00", 4), ("2026-10-23T00:00:00+02:00", 4)] {
            let start = try #require(ISO8601.parse(startText))
            let clicks = (0..<(days * 24 + 1)).map { hour in
                var click = Self.click(link, at: start.adding(seconds: Int64(hour) * 3600 + 1800), random: &random)
                click.verdict = .human
                return click
            }
            _ = try await world.write(clicks)
        }
        let spring = try await world.metrics.report(
            MetricsQuery(
                scope: .link(link), from: try #require(ISO8601.parse("2026-03-27T00:00:00+01:00")),
                to: try #require(ISO8601.parse("2026-03-31T00:00:00+02:00")), interval: .day, timeZone: "Europe/Berlin"))
        #expect(spring.series.map(\.clicks) == [24, 24, 23, 24])
        #expect(spring.series.map(\.utcOffsetSeconds) == [3600, 3600, 3600, 7200])
        #expect(
            spring.series.map(\.start.iso8601) == [
                "2026-03-26T23:00:00.000000Z", "2026-03-27T23:00:00.000000Z", "2026-03-28T23:00:00.000000Z", "2026-03-29T22:00:00.000000Z",
            ])
        let autumn = try await world.metrics.report(
            MetricsQuery(
                scope: .link(link), from: try #require(ISO8601.parse("2026-10-23T00:00:00+02:00")),
                to: try #require(ISO8601.parse("2026-10-27T00:00:00+01:00")), interval: .day, timeZone: "Europe/Berlin"))
        #expect(autumn.series.map(\.clicks) == [24, 24, 25, 24])
        #expect(autumn.series.map(\.utcOffsetSeconds) == [7200, 7200, 7200, 3600])
        // Hour buckets are UTC hours, labelled with the zone's offset at each one.
        let hours = try await world.metrics.report(
            MetricsQuery(
                scope: .link(link), from: try #require(ISO8601.parse("2026-03-29T00:00:00Z")),
                to: try #require(ISO8601.parse("2026-03-29T03:00:00Z")), interval: .hour, timeZone: "Europe/Berlin"))
        #expect(hours.series.map(\.utcOffsetSeconds) == [3600, 7200, 7200])
        #expect(hours.series.map(\.clicks) == [1, 1, 1])
        // Weeks start on Mondays, months on the 1st, in the zone.
        let month = try await world.metrics.report(
            MetricsQuery(
                scope: .link(link), from: try #require(ISO8601.parse("2026-03-01T00:00:00+01:00")),
                to: try #require(ISO8601.parse("2026-11-01T00:00:00+01:00")), interval: .month, timeZone: "Europe/Berlin"))
        #expect(month.series.count == 8)
        let monthTotal = month.series.reduce(Int64(0)) { $0 + $1.clicks }
        #expect(monthTotal == 2 * (4 * 24 + 1))
        let week = try await world.metrics.report(
            MetricsQuery(
                scope: .link(link), from: try #require(ISO8601.parse("2026-03-27T00:00:00+01:00")),
                to: try #require(ISO8601.parse("2026-04-01T00:00:00+02:00")), interval: .week, timeZone: "Europe/Berlin"))
        #expect(week.series.map(\.start.iso8601) == ["2026-03-22T23:00:00.000000Z", "2026-03-29T22:00:00.000000Z"])
    }

    @Test func emptyBucketsAreZeros() async throws {
        let world = try await World.make()
        onTeardown { await world.fixture.db.drop() }
        var random = SplitMix64(seed: 8)
        let day2 = Self.june.adding(seconds: 86_400 + 7200)
        _ = try await world.write((0..<5).map { _ in Self.click(world.links[2].id, at: day2, random: &random) })
        let report = try await world.metrics.report(
            MetricsQuery(
                scope: .link(world.links[2].id), from: Self.june, to: Self.june.adding(seconds: 5 * 86_400), interval: .day,
                includeBots: true))
        #expect(report.series.map(\.clicks) == [0, 5, 0, 0, 0])
        #expect(report.series.map(\.start) == (0..<5).map { Self.june.adding(seconds: Int64($0) * 86_400) })
        let nothing = try await world.metrics.report(
            MetricsQuery(scope: .link(world.links[3].id), from: Self.june, to: Self.june.adding(seconds: 3 * 86_400)))
        #expect(nothing.series.map(\.clicks) == [0, 0, 0])
        #expect(nothing.totals == MetricsReport.Totals(clicks: 0, humanClicks: 0, botClicks: 0, uniqueVisitors: 0))
        let emptyLists = nothing.top.values.allSatisfy { $0.isEmpty }
        #expect(emptyLists)
    }

    @Test(arguments: [false, true]) func deletingMovingAndRetaggingLinksKeepsScopesEqualToTheirLinks(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        _ = try await Self.writeRandomClicks(world, count: 800, start: Self.june, hours: 48, seed: 21)
        let from = Self.june
        let to = Self.june.adding(seconds: 48 * 3600)
        func check(_ label: String) async throws {
            for (scope, condition) in world.scopes where scope != .link(world.links[1].id) {
                let report = try await world.metrics.report(MetricsQuery(scope: scope, from: from, to: to, includeBots: true))
                #expect(report.totals.clicks == (try await world.rawCount(condition, from: from, to: to)), "\(label): \(scope)")
                let countries = report.top[.country]?.reduce(0) { $0 + $1.clicks }
                #expect(countries == report.totals.clicks, "\(label): \(scope) country rows")
            }
        }
        try await check("before")
        // Deleting a link removes its rollups and its share of every scope.
        let deleted = world.links[1].id
        #expect(try await world.rollupRowCount(link: deleted) > 0)
        #expect(try await world.fixture.links.delete(deleted))
        #expect(try await world.rollupRowCount(link: deleted) == 0)
        try await check("after delete")
        // Moving a link out of its campaign and into another client, and re-tagging one.
        try await world.pool.execute("UPDATE links SET campaign_id = NULL WHERE id = $1", [world.links[0].id.pg])
        try await check("after leaving the campaign")
        try await world.pool.execute("UPDATE links SET client_id = $2 WHERE id = $1", [world.links[3].id.pg, world.otherClient.id.pg])
        try await check("after changing client")
        try await world.pool.execute("DELETE FROM link_tags WHERE link_id = $1 AND tag_id = $2", [world.links[4].id.pg, world.tagged.pg])
        try await world.pool.execute("INSERT INTO link_tags (link_id, tag_id) VALUES ($1, $2)", [world.links[5].id.pg, world.tagged.pg])
        try await check("after re-tagging")
        // Deleting a client takes its links, their clicks and its scope rows.
        try await world.pool.execute("DELETE FROM clients WHERE id = $1", [world.otherClient.id.pg])
        #expect(try await world.fixture.count("SELECT count(*) FROM scope_rollups_hourly WHERE scope_id = $1", [world.otherClient.id.pg]) == 0)
        try await check("after deleting a client")
    }

    /// A rollup cycle holds the links it counts with FOR KEY SHARE only: editing a link's
    /// URL does not wait for it, while a move to another client (whose trigger takes FOR
    /// UPDATE) waits for its commit and then carries the counted clicks along.
    @Test func aRollupInFlightLetsLinkEditsThroughAndMakesMovesWaitForIt() async throws {
        let world = try await World.make()
        onTeardown { await world.fixture.db.drop() }
        let link = world.links[3]
        var random = SplitMix64(seed: 5)
        let clicks = (0..<20).map { _ in Self.click(link.id, at: Self.june, random: &random) }
        #expect(try await world.store.write(clicks).inserted == 20)
        // The worker's cycle, with its transaction left open.
        let roller = try PGConnection(url: world.fixture.db.url)
        let editor = try PGConnection(url: world.fixture.db.url)
        try roller.executeScript("BEGIN")
        #expect(try roller.query("SELECT roll_up_pending_clicks(1000)")[0].decode(0, as: Int64.self) == 20)

        try editor.executeScript("SET lock_timeout = '3s'")
        #expect(try editor.execute("UPDATE links SET original_url = 'https://example.com/edited' WHERE id = $1", [link.id.pg]) == 1)
        try editor.executeScript("SET lock_timeout = '300ms'")
        #expect(throws: PGError.self, "a move must wait for the rollup's commit") {
            try editor.execute("UPDATE links SET client_id = $2 WHERE id = $1", [link.id.pg, world.otherClient.id.pg])
        }
        // Another cycle meanwhile finds the lock taken and counts nothing.
        #expect(try await world.store.rollUp(maxClicks: 1000) == .busy)
        try roller.executeScript("COMMIT")
        #expect(try editor.execute("UPDATE links SET client_id = $2 WHERE id = $1", [link.id.pg, world.otherClient.id.pg]) == 1)

        let from = Self.june
        let to = Self.june.adding(seconds: 3600)
        for client in [world.fixture.client.id, world.otherClient.id] {
            let report = try await world.metrics.report(MetricsQuery(scope: .client(client), from: from, to: to, includeBots: true))
            let raw = try await world.rawCount("c.link_id IN (SELECT id FROM links WHERE client_id = '\(client)')", from: from, to: to)
            #expect(report.totals.clicks == raw)
        }
        #expect(try await world.rawCount("c.link_id = '\(link.id)'", from: from, to: to) == 20)
    }

    /// A write commits raw rows only; the metrics move when the batch is rolled up, once.
    @Test func aWriteIsCountedWhenItsBatchIsRolledUp_exactlyOnce() async throws {
        let world = try await World.make()
        onTeardown { await world.fixture.db.drop() }
        var random = SplitMix64(seed: 12)
        let query = MetricsQuery(scope: .organisation, from: Self.june, to: Self.june.adding(seconds: 3600), includeBots: true)
        let first = (0..<30).map { _ in Self.click(world.links[0].id, at: Self.june.adding(seconds: 60), random: &random) }
        let second = (0..<12).map { _ in Self.click(world.links[1].id, at: Self.june.adding(seconds: 120), random: &random) }
        _ = try await world.store.write(first)
        _ = try await world.store.write(second)
        #expect(try await world.metrics.report(query).totals.clicks == 0)
        let pending = try await world.store.pendingRollups()
        #expect(pending.batches == 2)
        #expect(pending.clicks == 42)
        // A cycle takes whole batches up to its size: the first batch alone here.
        #expect(try await world.store.rollUp(maxClicks: 30) == .rolledUp(clicks: 30))
        #expect(try await world.metrics.report(query).totals.clicks == 30)
        #expect(try await world.store.rollUp(maxClicks: 30) == .rolledUp(clicks: 12))
        #expect(try await world.store.rollUp(maxClicks: 30) == .rolledUp(clicks: 0))
        #expect(try await world.store.pendingRollups() == PendingRollups(batches: 0, clicks: 0, oldestAgeSeconds: 0))
        #expect(try await world.metrics.report(query).totals.clicks == 42)
        // A replay stores nothing and leaves nothing pending.
        #expect(try await world.store.write(first).duplicates == 30)
        #expect(try await world.store.pendingRollups().batches == 0)
        #expect(try await world.metrics.report(query).totals.clicks == 42)
    }

    /// Moves, re-tags and deletes between a write and its rollup: the batch is counted in the
    /// scopes the links belong to when it is rolled up, and a deleted link's clicks nowhere.
    @Test(arguments: [false, true]) func membershipChangesBeforeTheRollup_countThePendingClicksWhereTheLinksAreThen(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        _ = try await Self.writeRandomClicks(world, count: 300, start: Self.june, hours: 6, seed: 41)
        var random = SplitMix64(seed: 42)
        let pendingClicks = (0..<400).map { _ in
            Self.click(random.pick(world.links).id, at: Self.june.adding(seconds: Int64(random.int(in: 0...(6 * 3600 - 1)))), random: &random)
        }
        _ = try await world.store.write(pendingClicks)
        try await world.pool.execute(
            "UPDATE links SET client_id = $2, campaign_id = NULL WHERE id = $1", [world.links[0].id.pg, world.otherClient.id.pg])
        try await world.pool.execute("INSERT INTO link_tags (link_id, tag_id) VALUES ($1, $2)", [world.links[5].id.pg, world.tagged.pg])
        #expect(try await world.fixture.links.delete(world.links[2].id))
        #expect(try await world.store.rollUpAll() > 0)
        let from = Self.june
        let to = Self.june.adding(seconds: 6 * 3600)
        for (scope, condition) in world.scopes + [
            (.client(world.otherClient.id), "c.link_id IN (SELECT id FROM links WHERE client_id = '\(world.otherClient.id)')")
        ] {
            let report = try await world.metrics.report(MetricsQuery(scope: scope, from: from, to: to, includeBots: true))
            #expect(report.totals.clicks == (try await world.rawCount(condition, from: from, to: to)), "\(scope)")
        }
    }

    /// Raw clicks have no foreign key (migration 0011). A click written after its link was
    /// deleted (a late replay) is stored, left out of every rollup and deleted by the rollup
    /// worker; the clicks a link had before its delete stay until the purge, in no report.
    @Test(arguments: [false, true]) func aDeletedLinksRawClicks_goAtTheRollupOrAtThePurge_andNoReportShowsThem(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        let (kept, early, late) = (world.links[0].id, world.links[1].id, world.links[2].id)
        var random = SplitMix64(seed: 61)
        func clicks(_ link: EntityID, _ count: Int) -> [StoredClick] {
            (0..<count).map { _ in Self.click(link, at: Self.june.adding(seconds: Int64(random.int(in: 0...3599))), random: &random) }
        }
        func rawRows(_ link: EntityID) async throws -> Int {
            try await world.pool.query("SELECT count(*)::bigint FROM clicks WHERE link_id = $1", [link.pg])[0].decode(0, as: Int.self)
        }
        try await world.write(clicks(early, 20) + clicks(kept, 5))
        #expect(try await world.fixture.links.delete(early))
        #expect(try await world.fixture.links.delete(late))
        let afterDelete = try await world.store.write(clicks(late, 15) + clicks(kept, 10))
        #expect(afterDelete.inserted == 25, "stored as captured: no per-row foreign-key check")
        #expect(try await world.store.rollUpAll() == 10, "only the live link's clicks are rolled up")
        #expect(try await rawRows(late) == 0, "the rollup worker deleted the clicks of a link gone before their rollup")
        #expect(try await rawRows(early) == 20, "rolled up before the delete: they wait for the purge")
        let hour = (from: Self.june, to: Self.june.adding(seconds: 3600))
        let organisation = try await world.metrics.report(MetricsQuery(scope: .organisation, from: hour.from, to: hour.to, includeBots: true))
        #expect(organisation.totals.clicks == 15)
        #expect(try await world.rawCount("true", from: hour.from, to: hour.to) == 15)
        let export = ClickExport.clicksStatement(ClickExportFilter(includeBots: true))
        var exported: [UInt8] = []
        for try await chunk in world.pool.copyOut(export) { exported += chunk }
        #expect(exported.split(separator: 10).count == 15, "the export leaves out a deleted link's rows")
        try await world.store.maintain(retentionMonths: nil)
        #expect(try await rawRows(early) == 0, "the housekeeping purged them")
        #expect(try await rawRows(kept) == 15)
        #expect(try await world.pool.query("SELECT count(*)::bigint FROM deleted_links")[0].decode(0, as: Int.self) == 0)
        // A rebuild from raw rows counts the same clicks as the live path. (Only the link
        // rows are compared: a scope's visitor sketch keeps a deleted link's visitors until a
        // rebuild, a documented limit.)
        func linkRows() async throws -> [String] { try await world.rollupDigest().filter { "hdmx".contains($0.prefix(1)) } }
        let live = try await linkRows()
        let maintenance = RollupMaintenance(pool: world.pool)
        let rebuilt = try await maintenance.rebuild(days: try #require(try await maintenance.rawClickDays()))
        #expect(rebuilt.clicks == 15)
        #expect(try await linkRows() == live)
    }

    /// A rebuild leaves batches still pending to the worker: rebuilding and then rolling up
    /// counts every click once.
    @Test(arguments: [false, true]) func aRebuildWithBatchesPending_countsThemOnceWithTheWorker(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        _ = try await Self.writeRandomClicks(world, count: 500, start: Self.june, hours: 20, seed: 51)
        let live = try await world.rollupDigest()
        var random = SplitMix64(seed: 52)
        let more = (0..<250).map { _ in
            Self.click(random.pick(world.links).id, at: Self.june.adding(seconds: Int64(random.int(in: 0...(20 * 3600 - 1)))), random: &random)
        }
        _ = try await world.store.write(more)
        let maintenance = RollupMaintenance(pool: world.pool)
        let result = try await maintenance.rebuild(days: try #require(try await maintenance.rawClickDays()))
        #expect(result.clicks == 500)
        #expect(try await world.rollupDigest() == live)
        #expect(try await world.store.rollUpAll() == 250)
        let query = MetricsQuery(scope: .organisation, from: Self.june, to: Self.june.adding(seconds: 20 * 3600), includeBots: true)
        #expect(try await world.metrics.report(query).totals.clicks == 750)
    }

    @Test(arguments: [false, true]) func rebuildGivesTheSameNumbersAsTheLivePath(inMemory: Bool) async throws {
        let world = try await World.make(inMemory: inMemory)
        onTeardown { await world.fixture.db.drop() }
        _ = try await Self.writeRandomClicks(world, count: 1200, start: Self.june.adding(seconds: -3 * 3600), hours: 24 * 3, seed: 31)
        let live = try await world.rollupDigest()
        #expect(live.count > 100)
        // Break some counters, then rebuild every day from raw clicks.
        try await world.pool.execute("UPDATE link_rollups_daily SET clicks = clicks + 7")
        try await world.pool.execute("DELETE FROM scope_rollups_dimensions WHERE dimension = 'c'")
        #expect(try await world.rollupDigest() != live)
        let maintenance = RollupMaintenance(pool: world.pool)
        let days = try #require(try await maintenance.rawClickDays())
        let result = try await maintenance.rebuild(days: days)
        #expect(result.clicks == 1200)
        #expect(try await world.rollupDigest() == live)
    }

    @Test func retentionDropsRawPartitionsWhileMetricsKeepAnswering() async throws {
        let world = try await World.make()
        onTeardown { await world.fixture.db.drop() }
        let now = Timestamp.now()
        // Partitions from five months back, then clicks four months back and today.
        try await world.pool.execute(
            "SELECT ensure_click_partitions(6, (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '5 months')::date)")
        let old = now.adding(seconds: -122 * 86_400)
        var random = SplitMix64(seed: 4)
        _ = try await world.write((0..<40).map { _ in Self.click(world.links[0].id, at: old, random: &random) })
        _ = try await world.write((0..<10).map { _ in Self.click(world.links[0].id, at: now.adding(seconds: -60), random: &random) })
        let query = MetricsQuery(scope: .organisation, from: old.adding(seconds: -86_400), to: now, includeBots: true)
        let before = try await world.metrics.report(query)
        #expect(before.totals.clicks == 50)

        try await world.store.maintain(retentionMonths: 2)
        #expect(try await world.fixture.count("SELECT count(*) FROM clicks") == 10)
        let after = try await world.metrics.report(query)
        #expect(after.totals == before.totals)
        #expect(after.series == before.series)
        // A rebuild of every day leaves the days without raw clicks alone.
        _ = try await RollupMaintenance(pool: world.pool).rebuild(
            days: (old.microsecondsSinceEpoch / 86_400_000_000 - 2)...(now.microsecondsSinceEpoch / 86_400_000_000))
        #expect(try await world.metrics.report(query).totals == before.totals)
    }
}
