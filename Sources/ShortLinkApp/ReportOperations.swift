public import LibPQ
public import ShortLinkCore
public import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// `shortlinks rollups rebuild` and `shortlinks export`, over an open pool.
public struct ReportOperations: Sendable {
    let pool: PGPool

    /// A refused argument: the message says which and why.
    public struct InputError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates the operations.
    /// - Parameter pool: a migrated database.
    public init(pool: PGPool) { self.pool = pool }

    /// Parses a `--from`/`--to` day (`2026-11-22`) into days since 1970-01-01.
    public static func day(_ text: String, option: String) throws -> Int64 {
        guard text.utf8.count == 10, let time = ISO8601.parse(text) else {
            throw InputError(description: "\(option) must be a date such as 2026-11-22, not \(text)")
        }
        return time.microsecondsSinceEpoch / 86_400_000_000
    }

    /// Rebuilds rollups for whole UTC days from raw clicks.
    /// - Parameters:
    ///   - from: first day (default: the day of the oldest raw click).
    ///   - to: last day, inclusive (default: today, UTC).
    ///   - progress: called after each day.
    /// - Returns: the summary line.
    public func rebuildRollups(
        from: Int64?, to: Int64?, progress: @Sendable (String) -> Void
    ) async throws -> String {
        let maintenance = RollupMaintenance(pool: pool)
        guard let raw = try await maintenance.rawClickDays() else { return "no raw clicks: nothing to rebuild" }
        let today = Timestamp.now().microsecondsSinceEpoch / 86_400_000_000
        let first = from ?? raw.lowerBound
        let last = to ?? today
        guard first <= last else { throw InputError(description: "--from must not be after --to") }
        let result = try await maintenance.rebuild(days: first...last) { day, clicks in
            progress("rebuilt \(Self.dateText(day)): \(clicks) clicks")
        }
        return "rebuilt \(result.days) day(s) from \(result.clicks) raw clicks"
            + (first < raw.lowerBound ? " (days before \(Self.dateText(raw.lowerBound)) have no raw clicks and were kept)" : "")
    }

    /// The two CSV reports.
    public enum Report: String, CaseIterable, Sendable {
        case clicks, summary
    }

    /// Filter values as typed on the command line. Each of `links`, `campaigns`, `clients`
    /// and `tags` may hold several values (OR'ed); different filters are AND'ed.
    public struct FilterText: Sendable {
        public var links, campaigns, clients, tags: [String]
        public var from, to: String?
        public var includeBots: Bool
        public init(
            links: [String] = [], campaigns: [String] = [], clients: [String] = [], tags: [String] = [],
            from: String? = nil, to: String? = nil, includeBots: Bool = false
        ) {
            self.links = links
            self.campaigns = campaigns
            self.clients = clients
            self.tags = tags
            self.from = from
            self.to = to
            self.includeBots = includeBots
        }
    }

    /// Resolves the filter (names to ids, times checked; `to` defaults to `now`).
    /// - Parameters:
    ///   - text: the options.
    ///   - now: the end of the range when `--to` is not given (default: the current time).
    public func filter(_ text: FilterText, now: Timestamp = .now()) async throws -> ClickExportFilter {
        func time(_ value: String?, _ option: String) throws -> Timestamp? {
            guard let value else { return nil }
            guard let time = ISO8601.parse(value) else {
                throw InputError(description: "\(option) must be an RFC 3339 time or a date (2026-11-22), not \(value)")
            }
            return time
        }
        var filter = ClickExportFilter(
            from: try time(text.from, "--from"), to: try time(text.to, "--to") ?? now, includeBots: text.includeBots)
        if let from = filter.from, let to = filter.to, from >= to {
            throw InputError(description: text.to == nil ? "--from must be before now (the default --to)" : "--from must be before --to")
        }
        for (values, option) in [(text.links, "--link"), (text.campaigns, "--campaign"), (text.clients, "--client"), (text.tags, "--tag")]
        where values.count > ClickExportResolver.maximumValues {
            throw InputError(description: "\(option) may be given at most \(ClickExportResolver.maximumValues) times")
        }
        let resolver = ClickExportResolver(pool: pool)
        do {
            try await resolver.resolve(
                links: text.links, campaigns: text.campaigns, clients: text.clients, tags: text.tags, into: &filter)
        } catch let unknown as ClickExportResolver.Unknown {
            throw InputError(description: unknown.description)
        } catch let ambiguous as ClickExportResolver.Ambiguous {
            throw InputError(description: ambiguous.description + "; add --client NAME or give the campaign's id")
        }
        return filter
    }

    /// Streams a report into a file (created or truncated) or stdout (`nil`).
    /// - Parameters:
    ///   - report: which one.
    ///   - filter: which rows.
    ///   - path: the output file, or `nil` for stdout.
    ///   - raw: leave cells that start like a formula as they are (default false: they get
    ///     a `'` in front, see ``ClickExport``).
    ///   - progress: called about once a second with rows and bytes so far.
    /// - Returns: rows (without the header) and bytes written.
    public func export(
        _ report: Report, filter: ClickExportFilter, to path: String?, raw: Bool = false,
        progress: @Sendable (Int, Int) -> Void
    ) async throws -> (rows: Int, bytes: Int) {
        let descriptor: Int32
        if let path {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw InputError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } else {
            descriptor = 1
        }
        defer { if path != nil { close(descriptor) } }
        var rows = CSVRowCounter()
        var bytes = 0
        let exports = ClickExports(pool: pool)
        let chunks = report == .clicks ? try await exports.clicks(filter, raw: raw) : exports.summary(filter, raw: raw)
        var lastReport = Timestamp.now()
        for try await chunk in chunks {
            try Self.writeAll(chunk, to: descriptor, path: path ?? "stdout")
            bytes += chunk.count
            rows.count(chunk)
            let now = Timestamp.now()
            if now.microsecondsSinceEpoch - lastReport.microsecondsSinceEpoch >= 1_000_000 {
                lastReport = now
                progress(max(0, rows.rows - 1), bytes)
            }
        }
        return (max(0, rows.rows - 1), bytes)
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in write(descriptor, raw.baseAddress! + offset, raw.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw InputError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    static func dateText(_ day: Int64) -> String {
        String(Timestamp(microsecondsSinceEpoch: day * 86_400_000_000).iso8601.prefix(10))
    }
}

/// Counts CSV records (RFC 4180): a line feed ends a record unless it is inside quotes.
/// A doubled quote inside a quoted field toggles twice, so it needs no special case.
struct CSVRowCounter {
    private(set) var rows = 0
    private var quoted = false

    mutating func count(_ bytes: [UInt8]) {
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if byte == 10, !quoted {
                rows += 1
            }
        }
    }
}
