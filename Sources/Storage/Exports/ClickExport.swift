public import ShortLinkCore

/// The `COPY … TO STDOUT` statements behind the CSV reports.
///
/// COPY takes no bind parameters, so the filter's values are written into the statement.
/// Only values this module formats itself go in: UUIDs and times rendered from parsed
/// ``EntityID`` and ``Timestamp`` values, never text from a request.
///
/// **Formula injection**: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return as a formula, and referrers and user agents are written by
/// whoever sends the request. Unless `raw`, each text column whose value comes from outside
/// (``neutralizedClickColumns``, ``neutralizedSummaryColumns``) gets a `'` in front of such
/// a value (the OWASP rule), and COPY quotes the cell as CSV needs. Ids, times, booleans,
/// counts and addresses are never changed: a negative number is not a formula, and these
/// columns cannot hold text from outside.
public enum ClickExport {
    /// The clicks report: one row per click, oldest first, times in ISO 8601 UTC.
    public static let clickColumns = [
        "id", "timestamp", "link_id", "short_code", "is_bot", "bot_reason", "country", "city",
        "device", "browser", "os", "referrer", "ip_address", "user_agent",
    ]

    /// The summary report: one row per link and UTC day, from the rollups.
    public static let summaryColumns = [
        "day", "link_id", "short_code", "clicks", "human_clicks", "bot_clicks", "unique_visitors", "top_country",
    ]

    /// The clicks report's columns neutralised unless `raw`: text chosen by staff (short
    /// codes) or taken from the request and the GeoIP database.
    public static let neutralizedClickColumns = [
        "short_code", "bot_reason", "country", "city", "device", "browser", "os", "referrer", "user_agent",
    ]

    /// The summary report's columns neutralised unless `raw`.
    public static let neutralizedSummaryColumns = ["short_code", "top_country"]

    /// `expression` (SQL text) with `'` put in front when it starts like a formula, unless
    /// `raw`; NULL stays NULL (an empty cell).
    static func cell(_ expression: String, raw: Bool) -> String {
        guard !raw else { return expression }
        return "CASE WHEN left(\(expression), 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') "
            + "THEN '''' || \(expression) ELSE \(expression) END"
    }

    /// The links a filter can match: `SELECT id, short_code …`, for ``ShortCodes``.
    /// - Parameter filter: which clicks (only its link conditions matter).
    public static func linksStatement(_ filter: ClickExportFilter) -> String {
        "SELECT l.id, l.short_code FROM links l WHERE " + linkConditions(filter, column: "l.id").joined(separator: " AND ")
    }

    /// `'…', '…'` for `IN (…)`: UUIDs rendered by ``EntityID`` only.
    static func idList(_ ids: [EntityID]) -> String {
        ids.map { "'\($0)'" }.joined(separator: ", ")
    }

    static func linkConditions(_ filter: ClickExportFilter, column: String) -> [String] {
        var conditions = ["true"]
        if !filter.links.isEmpty { conditions.append("\(column) IN (\(idList(filter.links)))") }
        if !filter.campaigns.isEmpty {
            conditions.append("\(column) IN (SELECT id FROM links WHERE campaign_id IN (\(idList(filter.campaigns))))")
        }
        if !filter.clients.isEmpty {
            conditions.append("\(column) IN (SELECT id FROM links WHERE client_id IN (\(idList(filter.clients))))")
        }
        if !filter.tags.isEmpty {
            conditions.append("\(column) IN (SELECT link_id FROM link_tags WHERE tag_id IN (\(idList(filter.tags))))")
        }
        return conditions
    }

    /// `COPY (…) TO STDOUT` for the clicks report (CSV, RFC 4180 quoting, no header),
    /// without the short code: joining every click to its link costs Postgres more than
    /// the rest of the row, so ``ShortCodes/insert(_:into:)`` adds it while streaming.
    /// - Parameters:
    ///   - filter: which clicks.
    ///   - raw: leave cells that start like a formula as they are (default false).
    public static func clicksStatement(_ filter: ClickExportFilter, raw: Bool = false) -> String {
        var conditions = linkConditions(filter, column: "c.link_id")
        // Raw rows have no foreign key (migration 0011): a deleted link's clicks wait for
        // the purge, in no report.
        conditions.append("c.link_id IN (SELECT id FROM links)")
        if let from = filter.from { conditions.append("c.\"timestamp\" >= '\(from.iso8601)'") }
        if let to = filter.to { conditions.append("c.\"timestamp\" < '\(to.iso8601)'") }
        if !filter.includeBots { conditions.append("NOT c.is_bot") }
        func text(_ column: String) -> String { cell("c.\(column)", raw: raw) }
        return """
            COPY (
                SELECT c.id, to_char(c."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "timestamp",
                       c.link_id, CASE WHEN c.is_bot THEN 'true' ELSE 'false' END AS is_bot, \(text("bot_reason")),
                       \(text("country")), \(text("city")), \(text("device")), \(text("browser")), \(text("os")),
                       \(text("referrer")), c.ip_address, \(text("user_agent"))
                FROM clicks c
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY c."timestamp"
            ) TO STDOUT WITH (FORMAT csv, HEADER false)
            """
    }

    /// `COPY (…) TO STDOUT` for the per-link, per-day summary, read from the rollups (so
    /// it covers days whose raw clicks retention has dropped). With bots excluded (the
    /// default) `clicks`, unique visitors and the top country count people only, as the
    /// metrics do; `human_clicks` and `bot_clicks` are always there.
    /// - Parameters:
    ///   - filter: which links and days (days touched by the range, UTC).
    ///   - raw: leave cells that start like a formula as they are (default false).
    public static func summaryStatement(_ filter: ClickExportFilter, raw: Bool = false) -> String {
        var conditions: [String] = []
        if !filter.links.isEmpty { conditions.append("d.link_id IN (\(idList(filter.links)))") }
        if !filter.campaigns.isEmpty { conditions.append("l.campaign_id IN (\(idList(filter.campaigns)))") }
        if !filter.clients.isEmpty { conditions.append("l.client_id IN (\(idList(filter.clients)))") }
        if !filter.tags.isEmpty {
            conditions.append(
                "EXISTS (SELECT 1 FROM link_tags lt WHERE lt.link_id = d.link_id AND lt.tag_id IN (\(idList(filter.tags))))")
        }
        if let from = filter.from { conditions.append("d.day >= ('\(from.iso8601)'::timestamptz AT TIME ZONE 'UTC')::date") }
        if let to = filter.to {
            conditions.append("d.day <= (('\(to.iso8601)'::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let clicks = filter.includeBots ? "d.clicks" : "d.clicks - d.bot_clicks"
        let visitors = filter.includeBots ? "visitors" : "human_visitors"
        let countryOrder = filter.includeBots ? "x.clicks" : "x.clicks - x.bot_clicks"
        return """
            COPY (
                SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.link_id, \(cell("l.short_code", raw: raw)) AS short_code,
                       \(clicks) AS clicks, d.clicks - d.bot_clicks AS human_clicks, d.bot_clicks,
                       (SELECT round(hll_cardinality(hll_union_agg(h.\(visitors))))::bigint
                        FROM link_rollups_hourly h
                        WHERE h.link_id = d.link_id
                          AND h.hour >= d.day::timestamp AT TIME ZONE 'UTC'
                          AND h.hour < (d.day + 1)::timestamp AT TIME ZONE 'UTC') AS unique_visitors,
                       \(cell("t.country", raw: raw)) AS top_country
                FROM link_rollups_daily d JOIN links l ON l.id = d.link_id
                LEFT JOIN LATERAL (
                    SELECT split_part(x.value, E'\\x1f', 1) AS country FROM link_rollups_dimensions x
                    WHERE x.link_id = d.link_id AND x.day = d.day AND x.dimension = 'g'
                      AND split_part(x.value, E'\\x1f', 1) <> ''
                    GROUP BY 1 HAVING sum(\(countryOrder)) > 0
                    ORDER BY sum(\(countryOrder)) DESC, 1 LIMIT 1) t ON true
                \(whereClause)
                ORDER BY d.day, l.short_code
            ) TO STDOUT WITH (FORMAT csv, HEADER true)
            """
    }
}
