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
