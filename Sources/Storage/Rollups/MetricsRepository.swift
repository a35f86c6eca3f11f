public import LibPQ
import ShortLinkCore

/// Reads metrics from the rollup tables (migration 0005), never from raw clicks.
///
/// A link's report reads `link_rollups_*`; a campaign's, client's, tag's or the
/// organisation's reads `scope_rollups_*`, which the click writer keeps per scope, and
/// ranks its links from `link_rollups_daily`. Totals and series have hour resolution (the
/// range is widened to whole UTC hours); top lists have day resolution (every UTC day the
/// range touches).
public struct MetricsRepository: Sendable {
    let pool: RepositoryPool

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Whether the scope's link, campaign, client or tag exists.
    /// - Parameter scope: the scope; the organisation always exists.
    public func exists(_ scope: MetricsScope) async throws -> Bool {
        let table: String
        switch scope {
        case .organisation: return true
        case .link: table = "links"
        case .campaign: table = "campaigns"
        case .client: table = "clients"
        case .tag: table = "tags"
        }
        return try await !pool.query("SELECT 1 FROM \(table) WHERE id = $1", [scope.rowID.pg]).isEmpty
    }

    /// The report for a query, read in one snapshot.
    /// - Parameter query: scope, range, interval, zone, bots, top size.
    public func report(_ query: MetricsQuery) async throws -> MetricsReport {
        try await pool.transaction { connection in
            // Sketch aggregates hold large states: sorting beats hashing them. JIT
            // compilation and starting parallel workers cost more than these small
            // queries take.
            try connection.executeScript(
                """
                SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
                SET LOCAL enable_hashagg = off; SET LOCAL jit = off; SET LOCAL max_parallel_workers_per_gather = 0
                """)
            return try Self.report(query, on: connection)
        }
    }

    static func report(_ query: MetricsQuery, on connection: PGConnection) throws -> MetricsReport {
        let from = query.firstHour
        let to = query.endHour
        let visitors = query.includeBots ? "visitors" : "human_visitors"
        let fullDays = query.usesDailyRows ? query.fullDays : 0..<0
        let seriesRows = try connection.query(
            seriesSQL(query, visitors: visitors),
            [
                query.scope.rowID.pg, query.interval.rawValue, query.timeZone, from.pg, to.pg,
                Int(fullDays.lowerBound), Int(fullDays.upperBound),
            ])
        var totals = MetricsReport.Totals(clicks: 0, humanClicks: 0, botClicks: 0, uniqueVisitors: 0)
        var series: [MetricsReport.Bucket] = []
        series.reserveCapacity(seriesRows.count)
        for row in seriesRows {
            let clicks = try row.decode(2, as: Int64.self)
            let bots = try row.decode(3, as: Int64.self)
            let unique = try row.decode(4, as: Int64.self)
            guard let start = try row.decode(0, as: PGTimestamp?.self) else {
                // The grand-total row of the GROUPING SETS.
                totals = MetricsReport.Totals(
                    clicks: query.includeBots ? clicks : clicks - bots, humanClicks: clicks - bots, botClicks: bots,
                    uniqueVisitors: unique)
                continue
            }
            series.append(
                MetricsReport.Bucket(
                    start: Timestamp(start), utcOffsetSeconds: try row.decode(1, as: Int.self),
                    clicks: query.includeBots ? clicks : clicks - bots, botClicks: bots, uniqueVisitors: unique))
        }

        let days = query.dayRange
        var top: [MetricsDimension: [MetricsReport.Entry]] = [:]
        for dimension in MetricsDimension.allCases { top[dimension] = [] }
        let topRows = try connection.query(
            topSQL(query.scope),
            [query.scope.rowID.pg, Int(days.lowerBound), Int(days.upperBound), query.includeBots, query.top])
        for row in topRows {
            guard let dimension = MetricsDimension(code: try row.decode(0, as: String.self)) else { continue }
            top[dimension, default: []].append(
                MetricsReport.Entry(value: try row.decode(1, as: String.self), clicks: try row.decode(2, as: Int64.self)))
        }

        var topLinks: [MetricsReport.LinkEntry]?
        if let sql = topLinksSQL(query.scope, spansAWholeMonth: query.spansAWholeMonth) {
            var parameters: [(any PGEncodable)?] = [Int(days.lowerBound), Int(days.upperBound), query.includeBots, query.top]
            if query.scope != .organisation { parameters.append(query.scope.rowID.pg) }
            topLinks = try connection.query(sql, parameters).map { row in
                MetricsReport.LinkEntry(
                    id: try row.id("id"), shortCode: try row.decode("short_code", as: String.self),
                    clicks: try row.decode("counted", as: Int64.self))
            }
        }
        return MetricsReport(from: from, to: to, totals: totals, series: series, top: top, topLinks: topLinks)
    }

    /// The hourly rows of the scope: `FROM … h WHERE …` with the scope's id as `$1`.
    static func hourlySource(_ scope: MetricsScope) -> String {
        guard let code = scope.code else { return "link_rollups_hourly h WHERE h.link_id = $1" }
        return "scope_rollups_hourly h WHERE h.scope = '\(code)' AND h.scope_id = $1"
    }

    /// The whole-day rows (with sketches) of the scope, with the scope's id as `$1`.
    static func dailySource(_ scope: MetricsScope) -> String {
        guard let code = scope.code else { return "link_rollups_daily d WHERE d.link_id = $1" }
        return "scope_rollups_daily d WHERE d.scope = '\(code)' AND d.scope_id = $1"
    }

    /// The daily dimension rows of the scope, with the scope's id as `$1`.
    static func dimensionSource(_ scope: MetricsScope) -> String {
        guard let code = scope.code else { return "link_rollups_dimensions d WHERE d.link_id = $1" }
        return "scope_rollups_dimensions d WHERE d.scope = '\(code)' AND d.scope_id = $1"
    }

    /// Series plus a grand-total row (start NULL). Parameters: $1 scope id, $2 interval,
    /// $3 time zone, $4 first hour, $5 end hour, $6 and $7 the whole UTC days read from the
    /// daily rows (days since 1970-01-01, end exclusive; equal when none). Columns: start,
    /// UTC offset (s), clicks, bot clicks, unique visitors.
    static func seriesSQL(_ query: MetricsQuery, visitors: String) -> String {
        // Hour buckets are UTC hours (a local hour is never split: zones with a
        // non-whole-hour offset label each UTC hour by its local start). Longer buckets
        // start at local midnights (week: Monday) and are found by truncating each row's
        // start in the zone, so a DST day holds 23 or 25 hours. Rows are whole UTC days
        // where the query allows it (UTC buckets), hours elsewhere.
        let bucketOfRow: String
        let buckets: String
        if query.interval == .hour {
            bucketOfRow = "r.at"
            buckets = """
                SELECT generate_series($4::timestamptz, $5::timestamptz - interval '1 hour', interval '1 hour') AS start
                WHERE $2::text = 'hour'
                """
        } else {
            bucketOfRow = "date_trunc($2, r.at AT TIME ZONE $3) AT TIME ZONE $3"
            buckets = """
                SELECT local AT TIME ZONE $3 AS start
                FROM generate_series(date_trunc($2, $4::timestamptz AT TIME ZONE $3),
                                     ($5::timestamptz - interval '1 microsecond') AT TIME ZONE $3,
                                     ('1 ' || $2)::interval) AS local
                """
        }
        let fullStart = "((DATE '1970-01-01' + $6::integer)::timestamp AT TIME ZONE 'UTC')"
        let fullEnd = "((DATE '1970-01-01' + $7::integer)::timestamp AT TIME ZONE 'UTC')"
        return """
            WITH rows AS (
                SELECT d.day::timestamp AT TIME ZONE 'UTC' AS at, d.clicks, d.bot_clicks, d.\(visitors) AS visitors
                FROM \(dailySource(query.scope))
                  AND d.day >= DATE '1970-01-01' + $6::integer AND d.day < DATE '1970-01-01' + $7::integer
                UNION ALL
                SELECT h.hour, h.clicks, h.bot_clicks, h.\(visitors)
                FROM \(hourlySource(query.scope))
                  AND ((h.hour >= $4 AND h.hour < \(fullStart)) OR (h.hour >= greatest($4, \(fullEnd)) AND h.hour < $5))
            ), data AS (
                SELECT \(bucketOfRow) AS start, grouping(\(bucketOfRow)) AS total,
                       sum(r.clicks)::bigint AS clicks, sum(r.bot_clicks)::bigint AS bots,
                       round(hll_cardinality(hll_union_agg(r.visitors)))::bigint AS visitors
                FROM rows r
                GROUP BY GROUPING SETS ((\(bucketOfRow)), ())
            ), buckets AS (\(buckets))
            SELECT b.start,
                   extract(epoch FROM (b.start AT TIME ZONE $3) - (b.start AT TIME ZONE 'UTC'))::integer AS offset_seconds,
                   coalesce(d.clicks, 0), coalesce(d.bots, 0), coalesce(d.visitors, 0)
            FROM buckets b LEFT JOIN data d ON d.start = b.start AND d.total = 0
            UNION ALL
            SELECT NULL, 0, coalesce(max(d.clicks), 0), coalesce(max(d.bots), 0), coalesce(max(d.visitors), 0)
            FROM data d WHERE d.total = 1
            ORDER BY 1 NULLS FIRST
            """
    }

    /// Top values per dimension. Parameters: $1 scope id, $2 first day, $3 last day (days
    /// since 1970-01-01, inclusive), $4 include bots, $5 entries per list.
    static func topSQL(_ scope: MetricsScope) -> String {
        // Rows hold combined values ('g' country and city, 't' device, browser and OS);
        // each is summed once, then split into the lists it feeds.
        """
        SELECT ranked.dimension, ranked.value, ranked.counted FROM (
            SELECT t.dimension, t.value, t.counted,
                   row_number() OVER (PARTITION BY t.dimension ORDER BY t.counted DESC, t.value) AS rank
            FROM (
                SELECT k.dimension, k.value,
                       (CASE WHEN $4 OR k.dimension = 'x' THEN sum(g.clicks)
                             ELSE sum(g.clicks) - sum(g.bot_clicks) END)::bigint AS counted
                FROM (
                    SELECT d.dimension, d.value, sum(d.clicks) AS clicks, sum(d.bot_clicks) AS bot_clicks
                    FROM \(dimensionSource(scope))
                      AND d.day BETWEEN DATE '1970-01-01' + $2::integer AND DATE '1970-01-01' + $3::integer
                    GROUP BY d.dimension, d.value
                ) g
                CROSS JOIN LATERAL (
                    SELECT 'c' AS dimension, split_part(g.value, E'\\x1f', 1) AS value WHERE g.dimension = 'g'
                    UNION ALL SELECT 'y', g.value WHERE g.dimension = 'g' AND split_part(g.value, E'\\x1f', 2) <> ''
                    UNION ALL SELECT 'd', split_part(g.value, E'\\x1f', 1) WHERE g.dimension = 't'
                    UNION ALL SELECT 'b', split_part(g.value, E'\\x1f', 2) WHERE g.dimension = 't'
                    UNION ALL SELECT 'o', split_part(g.value, E'\\x1f', 3) WHERE g.dimension = 't'
                    UNION ALL SELECT g.dimension::text, g.value WHERE g.dimension IN ('r', 'x')
                ) k
                GROUP BY k.dimension, k.value
            ) t
            WHERE t.counted > 0
        ) ranked
        WHERE ranked.rank <= $5
        ORDER BY ranked.dimension, ranked.rank
        """
    }

    /// The scope's most clicked links. Parameters: $1 first day, $2 last day, $3 include
    /// bots, $4 limit, then $5 the scope id (not for the organisation). `nil` for a link.
    static func topLinksSQL(_ scope: MetricsScope, spansAWholeMonth: Bool) -> String? {
        func counted(_ alias: String) -> String {
            "(CASE WHEN $3 THEN sum(\(alias).clicks) ELSE sum(\(alias).clicks) - sum(\(alias).bot_clicks) END)::bigint"
        }
        func days(_ alias: String) -> String {
            "\(alias).day BETWEEN DATE '1970-01-01' + $1::integer AND DATE '1970-01-01' + $2::integer"
        }
        // The scope's links, joined to a table aliased `x` by its link_id.
        let members: String
        switch scope {
        case .link: return nil
        case .organisation: members = ""
        case .campaign: members = "JOIN links g ON g.id = x.link_id AND g.campaign_id = $5"
        case .client: members = "JOIN links g ON g.id = x.link_id AND g.client_id = $5"
        case .tag: members = "JOIN link_tags g ON g.link_id = x.link_id AND g.tag_id = $5"
        }
        guard spansAWholeMonth else {
            // Every member's days in a short range.
            return """
                SELECT l.id, l.short_code, t.counted FROM (
                    SELECT x.link_id, \(counted("x")) AS counted
                    FROM link_rollups_daily x \(members)
                    WHERE \(days("x"))
                    GROUP BY x.link_id
                    ORDER BY counted DESC, x.link_id
                    LIMIT $4
                ) t
                JOIN links l ON l.id = t.link_id
                WHERE t.counted > 0
                ORDER BY t.counted DESC, l.id
                """
        }
        // Over a range holding whole months, rank from monthly counts first. A link's
        // count over the range is at least its count in the whole months inside it, and at
        // most its count in the months the range touches. Only links whose upper bound
        // reaches the N-th largest lower bound can be in the top N; those are counted
        // exactly from their days.
        let monthCount = "CASE WHEN $3 THEN x.clicks ELSE x.clicks - x.bot_clicks END"
        let bounds = """
            bounds AS (
                SELECT date_trunc('month', f)::date AS first_month, l AS last_day,
                       CASE WHEN extract(day FROM f) = 1 THEN f
                            ELSE (date_trunc('month', f) + interval '1 month')::date END AS full_from,
                       date_trunc('month', l + 1)::date AS full_to
                FROM (SELECT DATE '1970-01-01' + $1::integer AS f, DATE '1970-01-01' + $2::integer AS l) AS p
            )
            """
        let exact = """
            SELECT l.id, l.short_code, t.counted
            FROM candidates c
            JOIN links l ON l.id = c.link_id
            CROSS JOIN LATERAL (
                SELECT \(counted("d")) AS counted FROM link_rollups_daily d WHERE d.link_id = c.link_id AND \(days("d"))
            ) t
            WHERE t.counted > 0
            ORDER BY t.counted DESC, l.id
            LIMIT $4
            """
        guard scope == .organisation else {
            // A group: every member's months.
            return """
                WITH \(bounds), months AS (
                    SELECT x.link_id, sum(\(monthCount)) AS upper,
                           coalesce(sum(\(monthCount)) FILTER (WHERE x.month >= b.full_from AND x.month < b.full_to), 0) AS lower
                    FROM bounds b JOIN link_rollups_monthly x ON x.month >= b.first_month AND x.month <= b.last_day
                    \(members)
                    GROUP BY x.link_id
                ), threshold AS (
                    SELECT coalesce((SELECT lower FROM months ORDER BY lower DESC LIMIT 1 OFFSET $4 - 1), 0) AS floor
                ), candidates AS (
                    SELECT m.link_id FROM months m, threshold WHERE m.upper >= threshold.floor AND m.upper > 0
                )
                \(exact)
                """
        }
        // The organisation: rather than every link's months, a looser threshold from the
        // index. In each whole month, the N links with the most clicks all have a lower
        // bound of at least the smallest of their counts, so the largest such value over
        // the whole months is at most the N-th largest lower bound. A link reaching it over
        // the k months the range touches has at least 1/k of it in one of them.
        return """
            WITH \(bounds), floors AS (
                SELECT (SELECT min(z.counted) FROM (
                            SELECT \(monthCount) AS counted FROM link_rollups_monthly x
                            WHERE x.month = f.month ORDER BY x.clicks DESC LIMIT $4) z
                        HAVING count(*) = $4) AS floor
                FROM bounds b,
                     generate_series(b.full_from, b.full_to - 1, interval '1 month') AS f(month)
            ), touched AS (
                SELECT m::date AS month
                FROM bounds b, generate_series(b.first_month, b.last_day, interval '1 month') AS m
            ), threshold AS (
                SELECT coalesce((SELECT max(floor) FROM floors), 0) AS floor, (SELECT count(*) FROM touched) AS months
            ), candidates AS (
                SELECT DISTINCT x.link_id
                FROM touched t CROSS JOIN threshold h
                JOIN link_rollups_monthly x ON x.month = t.month AND x.clicks >= (h.floor + h.months - 1) / h.months
            )
            \(exact)
            """
    }
}
