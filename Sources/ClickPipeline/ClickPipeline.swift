public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import ShortLinkCore
import Synchronization

/// The real ``ClickSink``: takes the edge's batches without blocking, enriches them and
/// writes them to the ``ClickStore`` in `COPY` transactions, retrying with backoff until
/// they are stored. Records also lie in the ``CaptureJournal`` (when given), which is
/// what survives a crash; journal files of an earlier process are replayed at start.
///
/// As a `Service` it must stop after the edge (list it before the edge in the group):
/// on graceful shutdown it writes everything queued, waiting up to
/// ``ClickPipelineConfiguration/drainTimeoutSeconds`` for the database, and leaves what it
/// could not store in the journal for the next start.
public final class ClickPipeline: ClickSink, Service {
    private struct State {
        var queue: ClickQueue
        var statistics = ClickPipelineStatistics()
        var shutdownRequested = false
        /// Set when graceful shutdown begins: the database gets until then.
        var drainDeadline: ContinuousClock.Instant?
        /// Number of the next group a writer takes.
        var nextGroup: UInt64 = 0
        /// Stored groups, released to the journal in the order they were taken.
        var acknowledgements = AcknowledgementOrder()
        /// Every writer has stopped.
        var writersDone = false
        /// Groups being written and failing writers: the write lag and readiness.
        var health = ClickWriterHealth()
    }

    private let configuration: ClickPipelineConfiguration
    private let store: any ClickStore
    private let enricher: ClickEnricher
    private let journal: CaptureJournal?
    private let metrics: ClickPipelineMetrics
    private let logger: Logger
    private let state: Mutex<State>

    /// - Parameters:
    ///   - configuration: batching, memory bound, drain and retry settings.
    ///   - store: where clicks are written.
    ///   - enricher: bot verdict, GeoIP, user agent, anonymisation.
    ///   - journal: the crash-safe capture journal; `nil` keeps clicks in memory only.
    ///   - metricsFactory: where the metrics go.
    ///   - logger: the pipeline's logger (never given click contents).
    public init(
        configuration: ClickPipelineConfiguration, store: any ClickStore, enricher: ClickEnricher,
        journal: CaptureJournal?, metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.enricher = enricher
        self.journal = journal
        self.metrics = ClickPipelineMetrics(factory: metricsFactory)
        self.logger = logger
        self.state = Mutex(State(queue: ClickQueue(memoryBound: configuration.memoryBoundBytes)))
    }

    public var captureStorage: (any CaptureStorage)? { journal }

    public func submit(_ batch: ClickBatch) {
        let (outcome, queued) = state.withLock { state in
            let outcome = state.queue.push(batch)
            state.statistics.received += batch.count
            switch outcome {
            case .queued: break
            case .spilled: state.statistics.spilledBatches += 1
            case .dropped: state.statistics.dropped += batch.count
            }
            return (outcome, state.queue.clicks)
        }
        metrics.queueClicks.record(queued)
        switch outcome {
        case .queued: break
        case .spilled: metrics.spilledBatches.increment()
        case .dropped: metrics.dropped.increment(by: batch.count)
        }
    }

    /// The age of the oldest click not yet stored (queued, or taken by a writer that is
    /// still retrying it); what `shortlinks_click_write_lag_seconds` shows.
    public var writeLag: Duration {
        let now = ContinuousClock.now
        return state.withLock { $0.health.lag(at: now, queuedOldest: $0.queue.oldestQueuedAt) }
    }

    /// How long click writes have been failing without a success in between; `nil` while
    /// they succeed (or nothing was written yet). Readiness compares it with
    /// `clicks.unhealthyAfterSeconds`.
    public var writeFailingFor: Duration? {
        let now = ContinuousClock.now
        return state.withLock { $0.health.failingFor(at: now) }
    }

    /// Counts since start.
    public var statistics: ClickPipelineStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.queued = state.queue.clicks
            return statistics
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await writeUntilDrained()
        } onGracefulShutdown: {
            let timeout = Duration.milliseconds(Int64(self.configuration.drainTimeoutSeconds * 1000))
            self.state.withLock {
                $0.shutdownRequested = true
                $0.drainDeadline = .now + timeout
            }
        }
    }

    // MARK: - Writer

    private func writeUntilDrained() async {
        if let journal, !journal.leftovers.isEmpty {
            var random = SystemRandomNumberGenerator()
            var hashers: [Int64: VisitorHasher] = [:]
            var writer = GroupWriter(
                store: store, enricher: enricher, configuration: configuration, metrics: metrics, logger: logger,
                report: healthReporter(writer: -1))
            await replay(journal.leftovers, writer: &writer, hashers: &hashers, random: &random)
        }
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await self.keepJournalReady() }
            tasks.addTask { await self.keepWriteLagCurrent() }
            await withTaskGroup(of: Void.self) { writers in
                for index in 0..<configuration.writers {
                    writers.addTask { await self.writeLoop(index: index) }
                }
            }
            state.withLock { $0.writersDone = true }
        }
        leaveRestForNextStart()
    }

    /// One of ``ClickPipelineConfiguration/writers`` concurrent writers, each on its own
    /// connection: takes the next group from the queue, enriches and writes it. Writer 0
    /// also runs the housekeeping and accounts for the time spent yielding.
    private func writeLoop(index: Int) async {
        var random = SystemRandomNumberGenerator()
        var hashers: [Int64: VisitorHasher] = [:]
        var writer = GroupWriter(
            store: store, enricher: enricher, configuration: configuration, metrics: metrics, logger: logger,
            report: healthReporter(writer: index))
        var nextMaintenance = ContinuousClock.now
        var pressure = CPUPressure(path: configuration.yielding.pressureFile)
        if configuration.yielding.enabled {
            _ = pressure.share()  // the first sample
            if pressure.isAvailable {
                // One whole sample window before the first decision: clicks queued at
                // start-up must not be written in a moment the sampler knows nothing yet.
                try? await Task.sleep(for: pressure.window)
            } else if index == 0 {
                logger.info(
                    "no CPU pressure information: the click writers do not yield to the edge",
                    metadata: ["file": "\(configuration.yielding.pressureFile)"])
            }
        }
        var yieldedSince: ContinuousClock.Instant?  // writer 0 accounts for the time yielded
        // Cancelled (the service group is going down without a graceful shutdown): stop
        // now; what is queued stays for the next start.
        while !Task.isCancelled {
            if index == 0, ContinuousClock.now >= nextMaintenance {
                nextMaintenance = await maintain()
            }
            let now = ContinuousClock.now
            let (oldest, waiting, stopping) = state.withLock { state in
                (state.queue.oldestQueuedAt, state.queue.clicks, state.shutdownRequested)
            }
            if configuration.yielding.shouldDefer(
                pressure: pressure.share(now: now), oldestWaiting: oldest.map { now - $0 }, stopping: stopping)
            {
                // The edge needs the CPUs: the clicks wait (they are in the journal).
                if index == 0, yieldedSince == nil { yieldedSince = now }
                try? await Task.sleep(for: .milliseconds(25))
                continue
            }
            if let since = yieldedSince {
                let yielded = (ContinuousClock.now - since).seconds
                metrics.yieldSeconds.increment(by: yielded)
                state.withLock { $0.statistics.yieldedSeconds += yielded }
                yieldedSince = nil
            }
            // A backlog is written in larger transactions: each rollup row then takes more clicks.
            let limit = waiting > configuration.maxClicksPerWrite ? configuration.catchUpClicksPerWrite : configuration.maxClicksPerWrite
            let (group, number) = state.withLock { state -> ([PendingBatch], UInt64) in
                let group = state.queue.take(maxClicks: limit)
                guard let first = group.first else { return (group, 0) }
                defer { state.nextGroup += 1 }
                state.health.began(group: state.nextGroup, oldest: first.queuedAt)
                return (group, state.nextGroup)
            }
            if group.isEmpty {
                if stopping { break }
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            let events = decode(group)
            let outcome = await writer.write(
                events, hashers: &hashers, random: &random,
                deadline: drainDeadline)
            switch outcome {
            case .stored(let result):
                record(result)
                acknowledge(group, number: number)
                state.withLock { $0.health.ended(group: number) }
            case .gaveUp:
                // Its number is never acknowledged, so no later group's journal records are
                // either: everything from here on is replayed at the next start.
                state.withLock { state in
                    state.queue.putBack(group)
                    state.health.ended(group: number)
                    state.health.succeeded(writer: index)
                }
            }
            metrics.queueClicks.record(state.withLock { $0.queue.clicks })
            if case .gaveUp = outcome { break }
        }
    }

    /// Acknowledges stored groups to the journal in the order they were taken: a group
    /// written by one writer waits for every earlier group, so a segment's acknowledged
    /// offset never passes records that are not stored yet.
    private func acknowledge(_ group: [PendingBatch], number: UInt64) {
        guard let journal else { return }
        let ready = state.withLock { $0.acknowledgements.stored(number, positions: group.compactMap(\.journal)) }
        for position in ready { journal.acknowledge(position) }
    }

    /// Records each attempt of a writer in ``ClickWriterHealth``.
    private func healthReporter(writer index: Int) -> (_ failed: Bool) -> Void {
        { failed in
            let now = ContinuousClock.now
            self.state.withLock { state in
                if failed { state.health.failed(writer: index, at: now) } else { state.health.succeeded(writer: index) }
            }
        }
    }

    /// Sets the write-lag gauge a few times a second, apart from the writers: a writer
    /// that retries one group for minutes must not freeze it (it showed 8.6 s while clicks
    /// had waited 17 minutes).
    private func keepWriteLagCurrent() async {
        while !state.withLock({ $0.writersDone }), !Task.isCancelled {
            metrics.writeLag.record(writeLag.seconds)
            try? await Task.sleep(for: .milliseconds(200))
        }
        metrics.writeLag.record(writeLag.seconds)
    }

    /// Keeps spare journal segments ready for the event loops, apart from the writers
    /// (a catch-up write can take seconds), until the writers are done.
    private func keepJournalReady() async {
        guard journal != nil else { return }
        while !state.withLock({ $0.writersDone }), !Task.isCancelled {
            refillJournal()
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func decode(_ group: [PendingBatch]) -> [ClickEvent] {
        var events: [ClickEvent] = []
        events.reserveCapacity(group.reduce(0) { $0 + $1.count })
        for batch in group where batch.count > 0 {
            let bytes =
                batch.bytes
                ?? batch.journal.flatMap { position in
                    journal?.records(segment: position.segment, range: batch.journalStart..<position.end)
                }
            guard let bytes else {
                logger.error("click batch has neither bytes nor a journal copy", metadata: ["clicks": "\(batch.count)"])
                continue
            }
            do {
                events += try ClickRecord.decode(bytes).events
            } catch {
                logger.error("undecodable click batch", metadata: ["error": "\(error)"])
            }
        }
        return events
    }

    private func drainDeadline() -> ContinuousClock.Instant? {
        state.withLock { $0.drainDeadline }
    }

    private func record(_ result: GroupWriter.Result) {
        metrics.written.increment(by: result.write.inserted)
        metrics.batches.increment(by: result.transactions)
        if result.rejected > 0 { metrics.rejected.increment(by: result.rejected) }
        if result.write.orphaned > 0 { metrics.orphaned.increment(by: result.write.orphaned) }
        if result.write.duplicates > 0 { metrics.duplicates.increment(by: result.write.duplicates) }
        state.withLock { state in
            state.statistics.written += result.write.inserted
            state.statistics.batches += result.transactions
            state.statistics.retries += result.retries
            state.statistics.rejected += result.rejected
            state.statistics.orphaned += result.write.orphaned
            state.statistics.duplicates += result.write.duplicates
        }
    }

    /// Replays journal files an earlier process left (idempotently), deleting each once stored.
    private func replay(
        _ files: [String], writer: inout GroupWriter, hashers: inout [Int64: VisitorHasher],
        random: inout SystemRandomNumberGenerator
    ) async {
        for path in files {
            let events: [ClickEvent]
            do {
                events = try JournalFile.pendingEvents(at: path)
            } catch {
                logger.error("damaged click journal file kept aside", metadata: ["error": "\(error)"])
                journal?.quarantine(leftover: path)
                continue
            }
            var offset = 0
            while offset < events.count {
                let chunk = Array(events[offset..<min(events.count, offset + configuration.catchUpClicksPerWrite)])
                let outcome = await writer.write(
                    chunk, hashers: &hashers, random: &random,
                    deadline: drainDeadline)
                guard case .stored(let result) = outcome else { return }
                record(result)
                state.withLock { $0.statistics.replayed += result.write.inserted }
                metrics.replayed.increment(by: result.write.inserted)
                offset += chunk.count
            }
            journal?.discard(leftover: path)
            logger.info("replayed click journal file", metadata: ["clicks": "\(events.count)"])
        }
    }

    private func refillJournal() {
        guard let journal else { return }
        do {
            try journal.refill()
        } catch {
            logger.error("click journal cannot grow; clicks are kept in memory", metadata: ["error": "\(error)"])
        }
        metrics.journalBytes.record(journal.fileBytes)
        metrics.journalShortages.record(journal.shortages)
    }

    private func maintain() async -> ContinuousClock.Instant {
        do {
            try await store.maintain(retentionMonths: configuration.retentionMonths)
            return .now + .milliseconds(Int64(configuration.maintenanceIntervalSeconds * 1000))
        } catch {
            logger.warning("click table housekeeping failed; retrying in a minute", metadata: ["error": "\(error)"])
            return .now + .seconds(60)
        }
    }

    /// After a drain that ran out of time: clicks that exist only in memory go to a journal
    /// file; the journal's own segments stay as they are. Both are replayed at next start.
    private func leaveRestForNextStart() {
        let rest = state.withLock { $0.queue.takeAll() }
        var memoryOnly: [UInt8] = []
        var left = 0
        for batch in rest {
            left += batch.count
            if batch.journal == nil, let bytes = batch.bytes { memoryOnly += bytes }
        }
        if !memoryOnly.isEmpty {
            if let journal {
                do {
                    try journal.spill(memoryOnly)
                } catch {
                    logger.critical("clicks could not be saved for the next start", metadata: ["error": "\(error)"])
                }
            } else {
                logger.critical("no journal configured: unwritten clicks are lost", metadata: ["clicks": "\(left)"])
            }
        }
        journal?.close()
        state.withLock { $0.statistics.leftForNextStart = left }
        let statistics = self.statistics
        logger.info(
            "click pipeline stopped",
            metadata: [
                "received": "\(statistics.received)", "written": "\(statistics.written)",
                "replayed": "\(statistics.replayed)", "leftForNextStart": "\(left)",
                "dropped": "\(statistics.dropped)",
                "yieldedSeconds": "\((statistics.yieldedSeconds * 10).rounded() / 10)",
            ])
    }
}
