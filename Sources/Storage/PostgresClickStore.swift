public import LibPQ
public import Logging
public import ShortLinkCore

/// Writes enriched clicks with `COPY` in one transaction per call.
public struct PostgresClickStore: ClickStore, RollupStore {
    private let pool: PGPool
    private let logger: Logger
    private let priority: BackgroundPriority
    private let accumulator: RollupAccumulator?
    private let ownerLeaseSeconds: Double

    /// - Parameters:
    ///   - pool: the database pool.
    ///   - logger: for housekeeping (what retention removed); default `shortlinks.clicks`.
    ///   - background: run writes and rollup cycles at the lowest CPU priority (nice 19): the
    ///     pool's thread and, when the server is on this machine, its backend process. Give it
    ///     a pool of its own: the priority stays with the threads and backends.
    ///   - accumulator: where the writes' rollup groups are summed in memory between cycles
    ///     (migration 0012); the writer's and the rollup worker's stores share one. `nil`:
    ///     every batch is rolled up from its raw rows.
    ///   - ownerLeaseSeconds: how long a batch another process holds in memory waits
    ///     before ``rollUp(maxClicks:)`` rolls it up from raw rows (that process died, or
    ///     never learnt that its commit succeeded) (`rollups.ownerLeaseSeconds`).
    public init(
        pool: PGPool, logger: Logger = Logger(label: "shortlinks.clicks"), background: Bool = false,
        accumulator: RollupAccumulator? = nil, ownerLeaseSeconds: Double = 120
    ) {
        self.pool = pool
        self.logger = logger
        self.priority = BackgroundPriority(enabled: background)
        self.accumulator = accumulator
        self.ownerLeaseSeconds = ownerLeaseSeconds
    }

    public func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
        do {
            return try await store(clicks)
        } catch let error as PGError {
            throw Self.classify(error)
        }
    }

    /// Maps a libpq error onto what the pipeline does next. `PGError.description` is
    /// redacted (no parameter values, no DETAIL), so it may travel in the message.
    static func classify(_ error: PGError) -> ClickStoreError {
        let kind: ClickStoreError.Kind =
            switch error.code {
            case .connectionLost, .connectionFailed, .poolTimeout, .closed, .queryCanceled: .unavailable
            case .uniqueViolation, .foreignKeyViolation: .conflict
            case .dataException, .checkViolation, .notNullViolation: .invalidData
            default: .other
            }
        return ClickStoreError(kind: kind, message: error.description)
    }

    private func store(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
        guard !clicks.isEmpty else { return ClickWriteResult(inserted: 0) }
        let encoded = Self.encode(clicks)
        let total = clicks.count
        // First, the common case: none of the clicks is stored yet, so they are copied
        // straight into clicks. Raw rows have no foreign key (migration 0011): a click of a
        // link deleted meanwhile is stored too, and the rollup worker deletes it when it
        // rolls its batch up. Rows take the transaction's ingest batch
        // from the column's default (migration 0009), and the batch is recorded as pending
        // in the same transaction. Rollups are not touched here: ``rollUp(maxClicks:)``
        // materialises pending batches later, exactly once.
        // With an accumulator the batch's pending row names this process, and its clicks
        // join the in-memory groups once the commit is known (never before: a rolled-back
        // batch must not be counted). A commit whose outcome is lost leaves the row named
        // but the groups without it: the SQL path takes it after the owner lease.
        let holder = accumulator.flatMap { $0.accepts ? $0 : nil }
        if let (batch, inserted) = try await copyDirectly(clicks, encoded: encoded, owner: holder?.owner) {
            holder?.add(batch: batch, clicks: clicks)
            return ClickWriteResult(inserted: inserted)
        }
        // A replay or a retry after a commit that may have succeeded (the COPY failed on the
        // key): the batch is copied
        // into a session-local staging table, and only the rows whose link still exists and
        // that are not stored yet go into clicks (store_staged_clicks()). A replay adds
        // nothing twice.
        let priority = priority
        return try await pool.transaction { connection in
            priority.apply(to: connection)
            try connection.executeScript(Self.createTemporaryTables)
            try connection.copyIn("COPY click_staging \(ClickCopyEncoder.columns) FROM STDIN") { try $0.write(encoded) }
            let inserted = try connection.query("SELECT store_staged_clicks()").first?.decode(0, as: Int.self) ?? 0
            // Only a batch that was not stored whole (a replay, or links deleted since the
            // clicks) has orphans or duplicates to tell apart; a first write skips the scan.
            let orphaned =
                inserted == total ? 0 : try connection.query(Self.countOrphans).first?.decode(0, as: Int.self) ?? 0
            // ON COMMIT DELETE ROWS empties it at commit; clear it anyway in case the
            // connection is reused inside a longer transaction.
            try connection.executeScript("DELETE FROM click_staging")
            return ClickWriteResult(inserted: inserted, duplicates: total - inserted - orphaned, orphaned: orphaned)
        }
    }

    /// `COPY` into `clicks` in one transaction: the batch number and the rows copied;
    /// `nil` (rolled back) when a row is already stored.
    private func copyDirectly(_ clicks: [StoredClick], encoded: [UInt8], owner: EntityID?) async throws -> (Int64, Int)? {
        var first = clicks[0].timestamp.microsecondsSinceEpoch
        var last = first
        for click in clicks {
            first = min(first, click.timestamp.microsecondsSinceEpoch)
            last = max(last, click.timestamp.microsecondsSinceEpoch)
        }
        let (from, to) = (PGTimestamp(microsecondsSinceEpoch: first), PGTimestamp(microsecondsSinceEpoch: last))
        let priority = priority
        do {
            return try await pool.transaction { connection in
                priority.apply(to: connection)
                let batch = try connection.query(Self.beginBatch)[0].decode(0, as: Int64.self)
                let copied = try connection.copyIn("COPY clicks \(ClickCopyEncoder.columns) FROM STDIN") { try $0.write(encoded) }
                try connection.execute(
                    "INSERT INTO click_batches_pending (batch, first_at, last_at, clicks, owner) VALUES ($1, $2, $3, $4, $5)",
                    [batch, from, to, copied, owner.map { PGUUID(high: $0.high, low: $0.low) }])
                return (batch, copied)
            }
        } catch let error as PGError where error.code == .uniqueViolation {
            return nil
        }
    }

    public func rollUp(maxClicks: Int) async throws -> RollupCycle {
        guard let fromMemory = try await applyHeld() else { return .busy }
        switch try await rollUp(maxClicks: maxClicks, waitForLock: false, ownerLease: ownerLeaseSeconds) {
        case .busy: return fromMemory > 0 ? .rolledUp(clicks: 0, fromMemory: fromMemory) : .busy
        case .rolledUp(let clicks, _): return .rolledUp(clicks: clicks, fromMemory: fromMemory)
        }
    }

    /// Applies the groups this process holds in memory: the clicks applied (0 when it holds
    /// none, or when a batch of them was rolled up elsewhere and the groups were dropped),
    /// `nil` when another session holds the rollup lock (the groups are kept).
    public func applyHeld() async throws -> Int? {
        guard let accumulator else { return 0 }
        let groups = accumulator.take()
        guard !groups.isEmpty else { return 0 }
        let outcome: Int64
        do {
            outcome = try await apply(groups)
        } catch let error as PGError {
            // Not applied, or applied by a commit whose answer was lost: either way the next
            // cycle tells (the batches are then no longer pending: -2).
            accumulator.restore(groups)
            throw Self.classify(error)
        }
        switch outcome {
        case -1:
            accumulator.restore(groups)
            return nil
        case -2:
            logger.info(
                "in-memory rollup groups dropped: a batch of theirs was rolled up elsewhere; the rest go the SQL path",
                metadata: ["batches": "\(groups.batches.count)", "clicks": "\(groups.clicks)"])
            return 0
        default:
            return Int(outcome)
        }
    }

    /// One transaction: the groups into the session's `acc_link_*` tables, then
    /// `roll_up_accumulated_clicks` (migration 0012). Its answer: clicks applied, -1 (the
    /// lock is busy), -2 (a batch was taken meanwhile).
    private func apply(_ groups: RollupGroups) async throws -> Int64 {
        let hours = groups.encodeHours()
        let dimensions = groups.encodeDimensions()
        let batches = groups.batches.map { Int($0) }
        let clicks = groups.clicks
        let priority = priority
        return try await pool.transaction { connection in
            priority.apply(to: connection)
            try connection.executeScript(Self.createAccumulatedTables)
            try connection.copyIn(
                "COPY acc_link_hours (link_id, hour_epoch, clicks, bot_clicks, visitors, human_visitors, visitors_sketch, human_visitors_sketch) FROM STDIN"
            ) { try $0.write(hours) }
            try connection.copyIn(
                "COPY acc_link_dimensions (link_id, day_epoch, dimension, a, b, c, clicks, bot_clicks) FROM STDIN"
            ) { try $0.write(dimensions) }
            let outcome =
                try connection.query("SELECT roll_up_accumulated_clicks($1, $2)", [batches, clicks]).first?.decode(
                    0, as: Int64.self) ?? 0
            try connection.executeScript("DELETE FROM acc_link_hours; DELETE FROM acc_link_dimensions")
            return outcome
        }
    }

    /// The SQL path: batches nobody holds, or held longer than `ownerLease` seconds
    /// (`nil`: every pending batch).
    private func rollUp(maxClicks: Int, waitForLock: Bool, ownerLease: Double?) async throws -> RollupCycle {
        do {
            let priority = priority
            return try await pool.transaction { connection in
                priority.apply(to: connection)
                let applied =
                    try connection.query(
                        "SELECT roll_up_pending_clicks($1, $2, $3::float8 * interval '1 second')",
                        [maxClicks, waitForLock, ownerLease]
                    ).first?.decode(0, as: Int64.self) ?? 0
                return applied < 0 ? .busy : .rolledUp(clicks: Int(applied))
            }
        } catch let error as PGError {
            throw Self.classify(error)
        }
    }

    /// Rolls up everything pending now, cycle after cycle (tests, `shortlinks rollups`
    /// commands, and anything that must read metrics equal to the raw clicks at once).
    /// Waits for another session holding the rollup lock.
    /// - Parameter maxClicks: clicks per cycle.
    /// - Returns: clicks rolled up.
    @discardableResult
    public func rollUpAll(maxClicks: Int = 500_000) async throws -> Int {
        var total = 0
        // What this process holds in memory first (if the lock is busy, the SQL path below
        // takes those batches too, and the groups are dropped at the next cycle).
        total += try await applyHeld() ?? 0
        while true {
            switch try await rollUp(maxClicks: maxClicks, waitForLock: true, ownerLease: nil) {
            case .busy:
                continue
            case .rolledUp(let clicks, _):
                total += clicks
                if clicks == 0, try await pendingRollups().batches == 0 { return total }
            }
        }
    }

    public func pendingRollups() async throws -> PendingRollups {
        do {
            let rows = try await pool.query(
                """
                SELECT count(*)::bigint, coalesce(sum(clicks), 0)::bigint,
                       coalesce(extract(epoch FROM now() - min(committed_at)), 0)::float8
                FROM click_batches_pending
                """)
            guard let row = rows.first else { return PendingRollups(batches: 0, clicks: 0, oldestAgeSeconds: 0) }
            return PendingRollups(
                batches: try row.decode(0, as: Int.self), clicks: try row.decode(1, as: Int.self),
                oldestAgeSeconds: try row.decode(2, as: Double.self))
        } catch let error as PGError {
            throw Self.classify(error)
        }
    }

    /// Bulk load for synthetic or imported history: `COPY` straight into `clicks`, in one
    /// transaction, without rollups. Roll the days up afterwards with
    /// ``RollupMaintenance/rebuild(days:progress:)``. Fails as a whole on a duplicate id or
    /// an unknown link.
    /// - Parameter clicks: the clicks.
    /// - Returns: rows stored.
    public func load(_ clicks: [StoredClick]) async throws -> Int {
        let encoded = Self.encode(clicks)
        return try await pool.transaction { connection in
            try connection.copyIn("COPY clicks \(ClickCopyEncoder.columns) FROM STDIN") { try $0.write(encoded) }
        }
    }

    /// The clicks as rows of `COPY … FROM STDIN` in ``ClickCopyEncoder/columns`` order
    /// (public for `shortlinks measure-enrichment`, which times it).
    public static func encode(_ clicks: [StoredClick]) -> [UInt8] {
        var rows: [UInt8] = []
        rows.reserveCapacity(clicks.count * 256)
        for click in clicks { ClickCopyEncoder.append(click, to: &rows) }
        return rows
    }

    public func visitorSalt(day: Int64) async throws -> [UInt8] {
        do {
            return try await salt(day: day)
        } catch let error as PGError {
            throw Self.classify(error)
        }
    }

    private func salt(day: Int64) async throws -> [UInt8] {
        var fresh = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &fresh) }
        let rows = try await pool.transaction { connection in
            try connection.execute(
                "INSERT INTO visitor_salts (day, salt) VALUES (DATE '1970-01-01' + $1::integer, $2) ON CONFLICT (day) DO NOTHING",
                [Int(day), PGBytes(salt)])
            return try connection.query(
                "SELECT salt FROM visitor_salts WHERE day = DATE '1970-01-01' + $1::integer", [Int(day)])
        }
        guard let stored = try rows.first?.decode(0, as: PGBytes.self) else {
            throw PGError(code: .serverError, message: "visitor salt for day \(day) was not stored")
        }
        return stored.bytes
    }

    public func maintain(retentionMonths: Int?) async throws {
        try await pool.transaction { connection in
            _ = try connection.query("SELECT ensure_click_partitions(3)")
        }
        try await pool.execute(
            "DELETE FROM visitor_salts WHERE day < (now() AT TIME ZONE 'UTC')::date - 1")
        // Deleted links' raw clicks (no cascade since migration 0011): one pass over clicks.
        let priority = priority
        let purged = try await pool.transaction { connection in
            priority.apply(to: connection)
            return try connection.query("SELECT purge_deleted_link_clicks()").first?.decode(0, as: Int64.self) ?? 0
        }
        if purged > 0 { logger.info("deleted links' clicks purged", metadata: ["clicks": "\(purged)"]) }
        if let retentionMonths, retentionMonths > 0 {
            // Old partitions and the default partition's old rows; logs what it removed.
            try await ClickRetention(pool: pool, logger: logger).run(months: retentionMonths)
        }
    }

    // Session-local copies of the table's shape; rows vanish at commit.
    static let createTemporaryTables = """
        CREATE TEMP TABLE IF NOT EXISTS click_staging (LIKE clicks INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
        """

    // The groups a cycle sends (roll_up_accumulated_clicks); rows vanish at commit.
    static let createAccumulatedTables = """
        CREATE TEMP TABLE IF NOT EXISTS acc_link_hours (
            link_id uuid, hour_epoch bigint, clicks bigint, bot_clicks bigint, visitors bigint[], human_visitors bigint[],
            visitors_sketch hll, human_visitors_sketch hll
        ) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS acc_link_dimensions (
            link_id uuid, day_epoch integer, dimension "char", a text, b text, c text, clicks bigint, bot_clicks bigint
        ) ON COMMIT DELETE ROWS
        """

    /// Draws the transaction's ingest batch and makes it the default of `clicks.ingest_batch`
    /// until commit.
    static let beginBatch =
        "SELECT set_config('shortlinks.ingest_batch', nextval('click_ingest_batch_seq')::text, true)::bigint"

    static let countOrphans =
        "SELECT count(*)::bigint FROM click_staging s WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.id = s.link_id)"
}
