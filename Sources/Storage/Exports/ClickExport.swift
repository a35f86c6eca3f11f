public import LibPQ
public import ShortLinkCore

/// Which clicks an export holds. Every filter narrows; none means every click.
public struct ClickExportFilter: Sendable, Hashable {
    /// One link.
    public var linkID: EntityID?
    /// Links currently in this campaign.
    public var campaignID: EntityID?
    /// Links currently of this client.
    public var clientID: EntityID?
    /// Links currently carrying this tag.
    public var tagID: EntityID?
    /// Clicks at or after this time.
    public var from: Timestamp?
    /// Clicks before this time.
    public var to: Timestamp?
    /// Whether bot clicks are included (default: people only).
    public var includeBots: Bool

    /// Creates a filter.
    public init(
        linkID: EntityID? = nil, campaignID: EntityID? = nil, clientID: EntityID? = nil, tagID: EntityID? = nil,
        from: Timestamp? = nil, to: Timestamp? = nil, includeBots: Bool = false
    ) {
        self.linkID = linkID
        self.campaignID = campaignID
        self.clientID = clientID
        self.tagID = tagID
        self.from = from
        self.to = to
        self.includeBots = includeBots
    }
}

/// The `COPY … TO STDOUT` statements behind the CSV reports.
///
/// COPY takes no bind parameters, so the filter's values are written into the statement.
/// Only values this module formats itself go in: UUIDs and times rendered from parsed
/// ``EntityID`` and ``Timestamp`` values, never text from a request.
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

    /// `COPY (…) TO STDOUT` for the clicks report (CSV, header row, RFC 4180 quoting).
    /// - Parameter filter: which clicks.
    public static func clicksStatement(_ filter: ClickExportFilter) -> String {
        var conditions: [String] = []
        if let id = filter.linkID { conditions.append("c.link_id = '\(id)'") }
        if let id = filter.campaignID { conditions.append("l.campaign_id = '\(id)'") }
        if let id = filter.clientID { conditions.append("l.client_id = '\(id)'") }
        if let id = filter.tagID {
            conditions.append("EXISTS (SELECT 1 FROM link_tags lt WHERE lt.link_id = c.link_id AND lt.tag_id = '\(id)')")
        }
        if let from = filter.from { conditions.append("c.\"timestamp\" >= '\(from.iso8601)'") }
        if let to = filter.to { conditions.append("c.\"timestamp\" < '\(to.iso8601)'") }
        if !filter.includeBots { conditions.append("NOT c.is_bot") }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return """
            COPY (
                SELECT c.id, to_char(c."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "timestamp",
                       c.link_id, l.short_code, CASE WHEN c.is_bot THEN 'true' ELSE 'false' END AS is_bot, c.bot_reason, c.country, c.city,
                       c.device, c.browser, c.os, c.referrer, c.ip_address, c.user_agent
                FROM clicks c JOIN links l ON l.id = c.link_id
                \(whereClause)
                ORDER BY c."timestamp"
            ) TO STDOUT WITH (FORMAT csv, HEADER true)
            """
    }

    /// `COPY (…) TO STDOUT` for the per-link, per-day summary, read from the rollups (so
    /// it covers days whose raw clicks retention has dropped). With bots excluded, unique
    /// visitors and the top country count people only; the three click columns are
    /// always there.
    /// - Parameter filter: which links and days (days touched by the range, UTC).
    public static func summaryStatement(_ filter: ClickExportFilter) -> String {
        var conditions: [String] = []
        if let id = filter.linkID { conditions.append("d.link_id = '\(id)'") }
        if let id = filter.campaignID { conditions.append("l.campaign_id = '\(id)'") }
        if let id = filter.clientID { conditions.append("l.client_id = '\(id)'") }
        if let id = filter.tagID {
            conditions.append("EXISTS (SELECT 1 FROM link_tags lt WHERE lt.link_id = d.link_id AND lt.tag_id = '\(id)')")
        }
        if let from = filter.from { conditions.append("d.day >= ('\(from.iso8601)'::timestamptz AT TIME ZONE 'UTC')::date") }
        if let to = filter.to {
            conditions.append("d.day <= (('\(to.iso8601)'::timestamptz - interval '1 microsecond') AT TIME ZONE 'UTC')::date")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let visitors = filter.includeBots ? "visitors" : "human_visitors"
        let countryOrder = filter.includeBots ? "x.clicks" : "x.clicks - x.bot_clicks"
        return """
            COPY (
                SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.link_id, l.short_code, d.clicks,
                       d.clicks - d.bot_clicks AS human_clicks, d.bot_clicks,
                       (SELECT round(hll_cardinality(hll_union_agg(h.\(visitors))))::bigint
                        FROM link_rollups_hourly h
                        WHERE h.link_id = d.link_id
                          AND h.hour >= d.day::timestamp AT TIME ZONE 'UTC'
                          AND h.hour < (d.day + 1)::timestamp AT TIME ZONE 'UTC') AS unique_visitors,
                       (SELECT split_part(x.value, E'\\x1f', 1) FROM link_rollups_dimensions x
                        WHERE x.link_id = d.link_id AND x.day = d.day AND x.dimension = 'g'
                          AND split_part(x.value, E'\\x1f', 1) <> ''
                        GROUP BY 1 HAVING sum(\(countryOrder)) > 0
                        ORDER BY sum(\(countryOrder)) DESC, 1 LIMIT 1) AS top_country
                FROM link_rollups_daily d JOIN links l ON l.id = d.link_id
                \(whereClause)
                ORDER BY d.day, l.short_code
            ) TO STDOUT WITH (FORMAT csv, HEADER true)
            """
    }
}

/// Turns the names people use (a short code, a tag name) into the ids a
/// ``ClickExportFilter`` holds, and checks that the named things exist.
public struct ClickExportResolver: Sendable {
    let pool: PGPool

    /// A filter value that names nothing.
    public struct Unknown: Error, Sendable, CustomStringConvertible {
        /// `link`, `campaign`, `client` or `tag`.
        public var what: String
        /// The offending text.
        public var value: String
        public var description: String { "no such \(what): \(value)" }
    }

    /// Creates the resolver.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

    /// A link by id or short code.
    public func link(_ text: String) async throws -> EntityID {
        try await lookup("link", text, byID: "SELECT id FROM links WHERE id = $1", byName: "SELECT id FROM links WHERE short_code = $1")
    }

    /// A campaign by id.
    public func campaign(_ text: String) async throws -> EntityID {
        try await lookup("campaign", text, byID: "SELECT id FROM campaigns WHERE id = $1", byName: nil)
    }

    /// A client by id or name.
    public func client(_ text: String) async throws -> EntityID {
        try await lookup("client", text, byID: "SELECT id FROM clients WHERE id = $1", byName: "SELECT id FROM clients WHERE name = $1")
    }

    /// A tag by id or name.
    public func tag(_ text: String) async throws -> EntityID {
        try await lookup("tag", text, byID: "SELECT id FROM tags WHERE id = $1", byName: "SELECT id FROM tags WHERE name = $1")
    }

    private func lookup(_ what: String, _ text: String, byID: String, byName: String?) async throws -> EntityID {
        let rows: PGRows
        if let id = EntityID(text) {
            rows = try await pool.query(byID, [id.pg])
        } else if let byName {
            rows = try await pool.query(byName, [text])
        } else {
            throw Unknown(what: what, value: text)
        }
        guard let row = rows.first else { throw Unknown(what: what, value: text) }
        return try row.id("id")
    }
}
