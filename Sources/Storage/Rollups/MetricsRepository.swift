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
    let pool: PGPool

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

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
            try connection.executeScript("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try Self.report(query, on: connection)
        }
    }

    static func report(_ query: MetricsQuery, on connection: PGConnection) throws -> MetricsReport {
        let from = query.firstHour
        let to = query.endHour
        let visitors = query.includeBots ? "visitors" : "human_visitors"
        let seriesRows = try connection.query(
            seriesSQL(query, visitors: visitors),
            [query.scope.rowID.pg, query.interval.rawValue, query.timeZone, from.pg, to.pg])
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
        if let sql = topLinksSQL(query.scope) {
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

    /// The daily dimension rows of the scope, with the scope's id as `$1`.
    static func dimensionSource(_ scope: MetricsScope) -> String {
        guard let code = scope.code else { return "link_rollups_dimensions d WHERE d.link_id = $1" }
        return "scope_rollups_dimensions d WHERE d.scope = '\(code)' AND d.scope_id = $1"
    }

    /// Series plus a grand-total row (start NULL). Parameters: $1 scope id, $2 interval,
    /// $3 time zone, $4 first hour, $5 end hour. Columns: start, UTC offset (s), clicks,
    /// bot clicks, unique visitors.
    static func seriesSQL(_ query: MetricsQuery, visitors: String) -> String {
        // Hour buckets are UTC hours (a local hour is never split: zones with a
        // non-whole-hour offset label each UTC hour by its local start). Longer buckets
        // start at local midnights (week: Monday) and are found by truncating each UTC
        // hour in the zone, so a DST day holds 23 or 25 hours.
        let bucketOfHour: String
        let buckets: String
        if query.interval == .hour {
            bucketOfHour = "h.hour"
            buckets = """
                SELECT generate_series($4::timestamptz, $5::timestamptz - interval '1 hour', interval '1 hour') AS start
                WHERE $2::text = 'hour'
                """
        } else {
            bucketOfHour = "date_trunc($2, h.hour AT TIME ZONE $3) AT TIME ZONE $3"
            buckets = """
                SELECT local AT TIME ZONE $3 AS start
                FROM generate_series(date_trunc($2, $4::timestamptz AT TIME ZONE $3),
                                     ($5::timestamptz - interval '1 microsecond') AT TIME ZONE $3,
                                     ('1 ' || $2)::interval) AS local
                """
        }
        return """
            WITH data AS (
                SELECT \(bucketOfHour) AS start, grouping(\(bucketOfHour)) AS total,
                       sum(h.clicks)::bigint AS clicks, sum(h.bot_clicks)::bigint AS bots,
                       round(hll_cardinality(hll_union_agg(h.\(visitors))))::bigint AS visitors
                FROM \(hourlySource(query.scope)) AND h.hour >= $4 AND h.hour < $5
                GROUP BY GROUPING SETS ((\(bucketOfHour)), ())
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
    static func topLinksSQL(_ scope: MetricsScope) -> String? {
        let members: String
        switch scope {
        case .link: return nil
        case .organisation: members = ""
        case .campaign: members = "JOIN links m ON m.id = d.link_id AND m.campaign_id = $5"
        case .client: members = "JOIN links m ON m.id = d.link_id AND m.client_id = $5"
        case .tag: members = "JOIN link_tags m ON m.link_id = d.link_id AND m.tag_id = $5"
        }
        return """
            SELECT l.id, l.short_code, t.counted FROM (
                SELECT d.link_id,
                       CASE WHEN $3 THEN sum(d.clicks) ELSE sum(d.clicks) - sum(d.bot_clicks) END::bigint AS counted
                FROM link_rollups_daily d \(members)
                WHERE d.day BETWEEN DATE '1970-01-01' + $1::integer AND DATE '1970-01-01' + $2::integer
                GROUP BY d.link_id
                ORDER BY counted DESC, d.link_id
                LIMIT $4
            ) t
            JOIN links l ON l.id = t.link_id
            WHERE t.counted > 0
            ORDER BY t.counted DESC, l.id
            """
    }
}
