/// Settings of the click writer.
public struct ClickPipelineConfiguration: Sendable {
    /// Clicks per `COPY` transaction, at most, while the writer keeps up; default 10,000.
    public var maxClicksPerWrite: Int
    /// Clicks per transaction, at most, while more than ``maxClicksPerWrite`` wait (after
    /// an outage or a burst, and for journal replay); default 50,000. A larger batch adds
    /// more clicks to each rollup row it touches, so a backlog drains faster.
    public var catchUpClicksPerWrite: Int
    /// When the writer leaves the CPU to the edge.
    public var yielding: WriteYielding
    /// Writers working at once, each with its own connection and transaction; default 2.
    /// They share the queue; the journal is acknowledged in queue order.
    public var writers: Int
    /// Bytes of captured records the writer keeps in memory while the database is slow or
    /// down; beyond it, batches are read back from the journal. Default 64 MiB.
    public var memoryBoundBytes: Int
    /// How long SIGTERM waits for the database before leaving the rest in the journal for
    /// the next start; default 30 s.
    public var drainTimeoutSeconds: Double
    /// Retry delays.
    public var backoff: BackoffSchedule
    /// Drop click partitions older than this many whole months; `nil` (default) keeps all.
    public var retentionMonths: Int?
    /// Seconds between housekeeping runs (partitions ahead, old salts); default one day.
    public var maintenanceIntervalSeconds: Double

    /// Creates settings; every parameter has the documented default.
    public init(
        maxClicksPerWrite: Int = 10_000, catchUpClicksPerWrite: Int = 50_000, yielding: WriteYielding = WriteYielding(),
        writers: Int = 2,
        memoryBoundBytes: Int = 64 << 20, drainTimeoutSeconds: Double = 30,
        backoff: BackoffSchedule = BackoffSchedule(), retentionMonths: Int? = nil,
        maintenanceIntervalSeconds: Double = 86_400
    ) {
        self.maxClicksPerWrite = max(1, maxClicksPerWrite)
        self.catchUpClicksPerWrite = max(self.maxClicksPerWrite, catchUpClicksPerWrite)
        self.yielding = yielding
        self.writers = max(1, writers)
        self.memoryBoundBytes = max(1 << 20, memoryBoundBytes)
        self.drainTimeoutSeconds = drainTimeoutSeconds
        self.backoff = backoff
        self.retentionMonths = retentionMonths
        self.maintenanceIntervalSeconds = maintenanceIntervalSeconds
    }
}
