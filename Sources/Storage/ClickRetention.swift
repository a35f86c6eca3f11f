public import LibPQ
public import Logging
public import ShortLinkCore

/// Removes raw clicks older than the retention: whole monthly partitions, and the rows of the
/// default partition (clicks whose month had no partition when they were stored), which a
/// partition drop never reaches. Rollups stay, so metrics and the summary report keep
/// answering for the removed days. What it removed is logged at info.
public struct ClickRetention: Sendable {
    /// One dropped monthly partition.
    public struct DroppedPartition: Sendable, Hashable {
        /// Its name, e.g. `clicks_p202601`.
        public var name: String
        /// The rows it held.
        public var rows: Int64
    }

    /// What one run removed.
    public struct Outcome: Sendable, Hashable {
        /// Everything before this time was removed (a UTC midnight).
        public var cutoff: Timestamp
        /// The partitions dropped, oldest first.
        public var droppedPartitions: [DroppedPartition] = []
        /// The default partition's name (`clicks_default`), if there is one.
        public var defaultPartition: String?
        /// Rows deleted from the default partition.
        public var defaultRowsDeleted = 0
        /// The delete statements that took them (each its own short transaction).
        public var batches = 0

        /// Whether anything was removed.
        public var removedAnything: Bool { !droppedPartitions.isEmpty || defaultRowsDeleted > 0 }
    }

    let pool: PGPool
    let logger: Logger
    let batchRows: Int

    /// Creates the retention job.
    /// - Parameters:
    ///   - pool: the database.
    ///   - logger: gets one info record per run that removed something.
    ///   - batchRows: the most default-partition rows one delete statement takes (default
    ///     10,000: a fraction of a second of locks and WAL per batch).
    public init(pool: PGPool, logger: Logger, batchRows: Int = 10_000) {
        self.pool = pool
        self.logger = logger
        self.batchRows = max(1, batchRows)
    }

    /// Removes the raw clicks before the first day of the month `months` whole months before
    /// the current UTC month (the database's clock), as partition retention always did.
    /// - Parameter months: whole months kept besides the current one (at least 1).
    /// - Returns: what was removed.
    @discardableResult
    public func run(months: Int) async throws -> Outcome {
        let cutoffRows = try await pool.query(
            "SELECT ((date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => $1))::date)::timestamp AT TIME ZONE 'UTC'",
            [max(1, months)])
        let cutoff = try cutoffRows[0].decode(0, as: PGTimestamp.self)
        return try await run(before: Timestamp(microsecondsSinceEpoch: cutoff.microsecondsSinceEpoch))
    }

    /// Removes the raw clicks before `cutoff`: partitions lying entirely before the UTC day
    /// of `cutoff`, then the default partition's older rows in batches.
    /// - Parameter cutoff: a UTC midnight (a later time is rounded down to its day for the
    ///   partitions; the default partition's rows are compared with it as it is).
    /// - Returns: what was removed.
    @discardableResult
    public func run(before cutoff: Timestamp) async throws -> Outcome {
        let bound = PGTimestamp(microsecondsSinceEpoch: cutoff.microsecondsSinceEpoch)
        var outcome = Outcome(cutoff: cutoff)
        // DROP holds ACCESS EXCLUSIVE on clicks until commit: a transaction of its own.
        let dropped = try await pool.transaction { connection in
            try connection.query(
                "SELECT partition_name, row_count FROM drop_click_partitions_listed_before(($1::timestamptz AT TIME ZONE 'UTC')::date)",
                [bound])
        }
        for row in dropped {
            outcome.droppedPartitions.append(
                DroppedPartition(name: try row.decode("partition_name", as: String.self), rows: try row.decode("row_count", as: Int64.self)))
        }
        outcome.defaultPartition = try await pool.query(
            "SELECT NULLIF(partdefid, 0)::regclass::text FROM pg_partitioned_table WHERE partrelid = 'clicks'::regclass"
        ).first?.decode(0, as: String?.self)
        while true {
            let deleted = try await pool.query("SELECT delete_default_clicks_before($1, $2)", [bound, batchRows])[0]
                .decode(0, as: Int.self)
            outcome.batches += 1
            outcome.defaultRowsDeleted += deleted
            if deleted < batchRows { break }
        }
        log(outcome)
        return outcome
    }

    private func log(_ outcome: Outcome) {
        let cutoff = String(outcome.cutoff.iso8601.prefix(10))
        guard outcome.removedAnything else {
            logger.debug("click retention: nothing older than the cutoff", metadata: ["cutoff": "\(cutoff)"])
            return
        }
        logger.info(
            "click retention removed raw clicks older than the cutoff (rollups kept)",
            metadata: [
                "cutoff": "\(cutoff)",
                "partitions_dropped": "\(outcome.droppedPartitions.count)",
                "partitions": "\(outcome.droppedPartitions.map { "\($0.name) (\($0.rows) rows)" }.joined(separator: ", "))",
                "partition_rows": "\(outcome.droppedPartitions.reduce(0) { $0 + $1.rows })",
                "default_partition": "\(outcome.defaultPartition ?? "none")",
                "default_rows_deleted": "\(outcome.defaultRowsDeleted)",
                "default_delete_batches": "\(outcome.batches)",
            ])
    }
}
