/// Counts since start, for tests, logs and the shutdown summary.
public struct ClickPipelineStatistics: Sendable, Hashable {
    /// Clicks received from the edge.
    public var received = 0
    /// Clicks stored.
    public var written = 0
    /// Write transactions committed.
    public var batches = 0
    /// Failed attempts that were retried.
    public var retries = 0
    /// Clicks lost (memory-only batches over twice the memory bound). Must stay 0.
    public var dropped = 0
    /// Clicks the database refused even one by one.
    public var rejected = 0
    /// Clicks skipped because their link was deleted before they were written.
    public var orphaned = 0
    /// Clicks skipped because they were already stored (replays).
    public var duplicates = 0
    /// Clicks replayed from journal files of an earlier process.
    public var replayed = 0
    /// Batches whose in-memory copy was let go for the journal's.
    public var spilledBatches = 0
    /// Seconds the writer held writes back while the edge needed the CPUs.
    public var yieldedSeconds: Double = 0
    /// Clicks waiting for the writer.
    public var queued = 0
    /// Clicks left in the journal or spilled to a file at shutdown (stored at the next start).
    public var leftForNextStart = 0

    /// Creates zero counts.
    public init() {}
}
