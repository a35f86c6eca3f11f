import CoreMetrics

/// The pipeline's metrics, created with the factory it was given (the admin listener
/// renders them as Prometheus text).
struct ClickPipelineMetrics: Sendable {
    let queueClicks: Gauge
    let batches: Counter
    let batchDuration: Timer
    let written: Counter
    let retries: Counter
    let journalBytes: Gauge
    let dropped: Counter
    let rejected: Counter
    let orphaned: Counter
    let duplicates: Counter
    let replayed: Counter
    let spilledBatches: Counter
    let journalShortages: Gauge
    let writeLag: Gauge
    let yieldSeconds: FloatingPointCounter

    init(factory: any MetricsFactory) {
        queueClicks = Gauge(label: "shortlinks_click_queue_clicks", factory: factory)
        batches = Counter(label: "shortlinks_click_batches_total", factory: factory)
        batchDuration = Timer(label: "shortlinks_click_batch_duration_seconds", factory: factory)
        written = Counter(label: "shortlinks_clicks_written_total", factory: factory)
        retries = Counter(label: "shortlinks_click_write_retries_total", factory: factory)
        journalBytes = Gauge(label: "shortlinks_click_journal_bytes", factory: factory)
        dropped = Counter(label: "shortlinks_clicks_dropped_total", factory: factory)
        rejected = Counter(label: "shortlinks_clicks_rejected_total", factory: factory)
        orphaned = Counter(label: "shortlinks_clicks_orphaned_total", factory: factory)
        duplicates = Counter(label: "shortlinks_clicks_duplicate_total", factory: factory)
        replayed = Counter(label: "shortlinks_clicks_replayed_total", factory: factory)
        spilledBatches = Counter(label: "shortlinks_click_batches_spilled_total", factory: factory)
        journalShortages = Gauge(label: "shortlinks_click_journal_shortages", factory: factory)
        writeLag = Gauge(label: "shortlinks_click_write_lag_seconds", factory: factory)
        yieldSeconds = FloatingPointCounter(label: "shortlinks_click_write_yield_seconds_total", factory: factory)
    }
}

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
    /// Batches spilled: over the memory bound, their in-memory copy was let go for the journal's.
    public var spilledBatches = 0
    /// Seconds the writer held writes back while the edge needed the CPUs.
    public var yieldedSeconds: Double = 0
    /// Clicks waiting for the writer.
    public var queued = 0
    /// Clicks left in the journal or saved to a journal file at shutdown (stored at the next start).
    public var leftForNextStart = 0

    /// Creates zero counts.
    public init() {}
}
