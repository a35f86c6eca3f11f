/// What one write stored.
public struct ClickWriteResult: Sendable, Hashable {
    /// Rows inserted.
    public var inserted: Int
    /// Clicks skipped because they were already stored.
    public var duplicates: Int
    /// Clicks skipped because their link no longer exists.
    public var orphaned: Int

    /// Creates a result.
    public init(inserted: Int, duplicates: Int = 0, orphaned: Int = 0) {
        self.inserted = inserted
        self.duplicates = duplicates
        self.orphaned = orphaned
    }
}

/// Where the click pipeline writes.
public protocol ClickStore: Sendable {
    /// Writes clicks in one transaction, skipping those already stored and those whose
    /// link is gone, so it is safe to repeat (retries, journal replays).
    /// - Parameter clicks: enriched clicks.
    /// - Returns: what was stored and what was skipped.
    func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult

    /// The secret salt of a UTC day (days since 1970-01-01), created on first use and shared
    /// by every instance writing to the same database.
    /// - Parameter day: the day number.
    /// - Returns: 16 random bytes.
    func visitorSalt(day: Int64) async throws -> [UInt8]

    /// Housekeeping the writer runs at start and then daily: monthly click partitions
    /// created ahead, old visitor salts forgotten, old partitions dropped and old rows of
    /// the default partition deleted.
    /// - Parameter retentionMonths: remove raw clicks older than this many whole months;
    ///   `nil` keeps everything.
    func maintain(retentionMonths: Int?) async throws
}

/// A failed click write, classified so the pipeline knows whether to retry.
public struct ClickStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable, Hashable {
        /// The database is unreachable or went away: retry later.
        case unavailable
        /// A row conflicts with stored data (duplicate id, deleted link): retry idempotently.
        case conflict
        /// A value was refused: retrying the same rows will fail again.
        case invalidData
        /// Anything else.
        case other
    }

    /// The classification.
    public var kind: Kind
    /// A redacted description of the cause (no row values).
    public var message: String

    /// Creates an error.
    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "click write failed (\(kind)): \(message)" }
}

/// What one rollup cycle did.
public enum RollupCycle: Sendable, Hashable {
    /// Pending batches were rolled up: `clicks` from their raw rows (at most the cycle's
    /// `maxClicks`; 0: nothing was pending) and `fromMemory` from the groups this process
    /// summed as it stored them (any number: their cost is per group, not per click).
    case rolledUp(clicks: Int, fromMemory: Int = 0)
    /// Another session (another instance) is rolling up right now.
    case busy
}

/// Stored clicks not yet counted in the rollups.
public struct PendingRollups: Sendable, Hashable {
    /// Ingest batches waiting.
    public var batches: Int
    /// Clicks in them.
    public var clicks: Int
    /// Seconds since the oldest of them was committed (0 when none waits).
    public var oldestAgeSeconds: Double

    /// Creates a value.
    public init(batches: Int, clicks: Int, oldestAgeSeconds: Double) {
        self.batches = batches
        self.clicks = clicks
        self.oldestAgeSeconds = oldestAgeSeconds
    }
}

/// Where the rollup worker materialises the metrics of stored clicks. A click write records
/// its batch as pending; each cycle counts the oldest pending batches into the rollups and
/// forgets them, in one transaction, so every stored click is counted exactly once.
public protocol RollupStore: Sendable {
    /// Rolls up the oldest pending batches: whole batches, about `maxClicks` clicks (at least
    /// one batch).
    /// - Parameter maxClicks: the cycle's size.
    /// - Returns: the clicks counted, or ``RollupCycle/busy`` when another session is at it.
    func rollUp(maxClicks: Int) async throws -> RollupCycle

    /// What is waiting.
    func pendingRollups() async throws -> PendingRollups

    /// Applies what this process holds in memory and nothing else (the worker's last step
    /// before the process stops): the clicks applied, `nil` when another session holds the
    /// rollup lock.
    func applyHeld() async throws -> Int?
}

extension RollupStore {
    /// Nothing held in memory.
    public func applyHeld() async throws -> Int? { 0 }
}
