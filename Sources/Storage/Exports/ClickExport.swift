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

    /// The links a filter can match: `SELECT id, short_code …`, for ``ShortCodes``.
    /// - Parameter filter: which clicks (only its link conditions matter).
    public static func linksStatement(_ filter: ClickExportFilter) -> String {
        "SELECT l.id, l.short_code FROM links l WHERE " + linkConditions(filter, column: "l.id").joined(separator: " AND ")
    }

    static func linkConditions(_ filter: ClickExportFilter, column: String) -> [String] {
        var conditions = ["true"]
        if let id = filter.linkID { conditions.append("\(column) = '\(id)'") }
        if let id = filter.campaignID { conditions.append("\(column) IN (SELECT id FROM links WHERE campaign_id = '\(id)')") }
        if let id = filter.clientID { conditions.append("\(column) IN (SELECT id FROM links WHERE client_id = '\(id)')") }
        if let id = filter.tagID { conditions.append("\(column) IN (SELECT link_id FROM link_tags WHERE tag_id = '\(id)')") }
        return conditions
    }

    /// `COPY (…) TO STDOUT` for the clicks report (CSV, header row, RFC 4180 quoting),
    /// without the short code: joining every click to its link costs Postgres more than
    /// the rest of the row, so ``ShortCodes/insert(_:into:)`` adds it while streaming.
    /// - Parameter filter: which clicks.
    public static func clicksStatement(_ filter: ClickExportFilter) -> String {
        var conditions = linkConditions(filter, column: "c.link_id")
        if let from = filter.from { conditions.append("c.\"timestamp\" >= '\(from.iso8601)'") }
        if let to = filter.to { conditions.append("c.\"timestamp\" < '\(to.iso8601)'") }
        if !filter.includeBots { conditions.append("NOT c.is_bot") }
        return """
            COPY (
                SELECT c.id, to_char(c."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "timestamp",
                       c.link_id, CASE WHEN c.is_bot THEN 'true' ELSE 'false' END AS is_bot, c.bot_reason, c.country, c.city,
                       c.device, c.browser, c.os, c.referrer, c.ip_address, c.user_agent
                FROM clicks c
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY c."timestamp"
            ) TO STDOUT WITH (FORMAT csv, HEADER false)
            """
    }

    /// Short codes by link id, spliced into the clicks report's rows as they stream.
    public struct ShortCodes: Sendable {
        let codes: [EntityID: [UInt8]]

        /// - Parameter links: (id, short code) of the links the export can meet.
        public init(_ links: [(EntityID, String)]) {
            var codes: [EntityID: [UInt8]] = [:]
            codes.reserveCapacity(links.count)
            for (id, code) in links { codes[id] = Array(code.utf8) }
            self.codes = codes
        }

        /// The id in a canonical UUID text (lower-case hex, dashes at 8, 13, 18, 23), read
        /// without building a string: this runs once per exported row.
        static func id(_ text: UnsafeRawBufferPointer) -> EntityID? {
            guard text.count == 36 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            var digits = 0
            for index in 0..<36 {
                let byte = text[index]
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value: UInt64
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
                default: return nil
                }
                if digits < 16 { high = high << 4 | value } else { low = low << 4 | value }
                digits += 1
            }
            return EntityID(high: high, low: low)
        }

        /// The header row of the report.
        public static var header: [UInt8] { Array((ClickExport.clickColumns.joined(separator: ",") + "\n").utf8) }

        // A row starts with the click id (36 bytes), its time (27: the to_char format
        // above) and the link id (36), each unquoted and followed by a comma.
        static let linkRange = 65..<101

        /// Appends `row` with the link's short code after the link id. A code is
        /// `[A-Za-z0-9_-]`, so it never needs quotes; a link the map does not know (created
        /// after the export began) gets an empty field.
        public func insert(_ row: UnsafeRawBufferPointer, into output: inout [UInt8]) {
            guard row.count > Self.linkRange.upperBound, row[Self.linkRange.upperBound] == UInt8(ascii: ",") else {
                output.append(contentsOf: row)
                return
            }
            let split = Self.linkRange.upperBound
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[..<split]))
            output.append(UInt8(ascii: ","))
            if let id = Self.id(UnsafeRawBufferPointer(rebasing: row[Self.linkRange])), let code = codes[id] {
                output.append(contentsOf: code)
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[split...]))
        }
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

    /// Sets the filter's links from what people typed: a link by id or short code, a
    /// campaign by id, a client or tag by id or name. Throws ``Unknown`` for a name that
    /// names nothing.
    public func resolve(
        link: String?, campaign: String?, client: String?, tag: String?, into filter: inout ClickExportFilter
    ) async throws {
        if let link { filter.linkID = try await self.link(link) }
        if let campaign { filter.campaignID = try await self.campaign(campaign) }
        if let client { filter.clientID = try await self.client(client) }
        if let tag { filter.tagID = try await self.tag(tag) }
    }

    /// The short codes of every link the filter can match.
    public func shortCodes(_ filter: ClickExportFilter) async throws -> ClickExport.ShortCodes {
        ClickExport.ShortCodes(
            try await pool.query(ClickExport.linksStatement(filter)).map { row in
                (try row.id("id"), try row.decode("short_code", as: String.self))
            })
    }

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
