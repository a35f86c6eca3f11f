import CoreMetrics
import Logging
import ShortLinkCore

/// Writes one group of events until it is stored: salts, enrichment, then the write with
/// the retry policy's actions carried out (backoff sleeps, one-by-one isolation of refused
/// rows). Gives up only when a drain deadline passes.
struct GroupWriter {
    struct Result {
        var write = ClickWriteResult(inserted: 0)
        var transactions = 0
        var retries = 0
        var rejected = 0
    }

    enum Outcome {
        case stored(Result)
        case gaveUp
    }

    let store: any ClickStore
    let enricher: ClickEnricher
    let configuration: ClickPipelineConfiguration
    let metrics: ClickPipelineMetrics
    let logger: Logger
    /// Told after every attempt whether it failed (for ``ClickWriterHealth``).
    let report: (_ failed: Bool) -> Void
    private var consecutiveFailures = 0

    init(
        store: any ClickStore, enricher: ClickEnricher, configuration: ClickPipelineConfiguration,
        metrics: ClickPipelineMetrics, logger: Logger, report: @escaping (_ failed: Bool) -> Void = { _ in }
    ) {
        self.store = store
        self.enricher = enricher
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.report = report
    }

    /// - Parameters:
    ///   - events: decoded events.
    ///   - hashers: visitor hashers by day, filled on demand.
    ///   - random: jitter source.
    ///   - deadline: the drain deadline once shutdown began, else `nil`.
    mutating func write(
        _ events: [ClickEvent], hashers: inout [Int64: VisitorHasher],
        random: inout SystemRandomNumberGenerator, deadline: () -> ContinuousClock.Instant?
    ) async -> Outcome {
        guard !events.isEmpty else { return .stored(Result()) }
        var policy = WriteRetryPolicy(schedule: configuration.backoff)
        var result = Result()
        var rows: [StoredClick]?
        while true {
            let started = ContinuousClock.now
            do {
                if rows == nil {
                    try await loadSalts(for: events, into: &hashers)
                    rows = events.map { enricher.enrich($0, hasher: hashers[VisitorHasher.day(of: $0.timestamp)]!) }
                }
                result.write = try await store.write(rows!)
                result.transactions = 1
                report(false)
                let elapsed = (ContinuousClock.now - started).components
                metrics.batchDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
                if consecutiveFailures > 0 {
                    logger.info("click writes succeed again", metadata: ["failedAttempts": "\(consecutiveFailures)"])
                    consecutiveFailures = 0
                }
                return .stored(result)
            } catch {
                let kind = (error as? ClickStoreError)?.kind ?? .other
                result.retries += 1
                metrics.retries.increment()
                report(true)
                consecutiveFailures += 1
                if consecutiveFailures == 1 || consecutiveFailures % 20 == 0 {
                    logger.warning(
                        "click write failed; retrying",
                        metadata: ["error": "\(LogSafe.escape(error))", "clicks": "\(events.count)", "failedAttempts": "\(consecutiveFailures)"])
                }
                switch policy.failed(kind, using: &random) {
                case .retry(let delay):
                    guard await pause(delay, deadline: deadline()) else { return .gaveUp }
                case .writeOneByOne:
                    guard let rows else { return .gaveUp }
                    return await writeOneByOne(rows, result: result, random: &random, deadline: deadline)
                }
            }
        }
    }

    /// Writes rows singly (idempotently) so that one refused row does not hold back the rest.
    private mutating func writeOneByOne(
        _ rows: [StoredClick], result: Result, random: inout SystemRandomNumberGenerator,
        deadline: () -> ContinuousClock.Instant?
    ) async -> Outcome {
        var result = result
        for row in rows {
            var attempt = 0
            while true {
                do {
                    let single = try await store.write([row])
                    result.write.inserted += single.inserted
                    result.write.duplicates += single.duplicates
                    result.write.orphaned += single.orphaned
                    result.transactions += 1
                    report(false)
                    break
                } catch {
                    let kind = (error as? ClickStoreError)?.kind ?? .other
                    if kind == .invalidData || kind == .conflict {
                        result.rejected += 1
                        logger.error("click refused by the database", metadata: ["clickID": "\(row.id)", "error": "\(LogSafe.escape(error))"])
                        break
                    }
                    attempt += 1
                    result.retries += 1
                    metrics.retries.increment()
                    report(true)
                    guard await pause(configuration.backoff.delay(attempt: attempt, using: &random), deadline: deadline())
                    else { return .gaveUp }
                }
            }
        }
        return .stored(result)
    }

    private func loadSalts(for events: [ClickEvent], into hashers: inout [Int64: VisitorHasher]) async throws {
        var days = Set<Int64>()
        for event in events { days.insert(VisitorHasher.day(of: event.timestamp)) }
        // Keep the cache small; days a replay still needs are fetched again.
        if hashers.count > 8 { hashers = hashers.filter { days.contains($0.key) } }
        for day in days where hashers[day] == nil {
            hashers[day] = VisitorHasher(salt: try await store.visitorSalt(day: day))
        }
    }

    /// Sleeps unless that would pass the deadline; `false` means: give up (also when the
    /// task is cancelled).
    private func pause(_ delay: Duration, deadline: ContinuousClock.Instant?) async -> Bool {
        if let deadline, ContinuousClock.now + delay > deadline { return false }
        try? await Task.sleep(for: delay)
        return !Task.isCancelled
    }
}
