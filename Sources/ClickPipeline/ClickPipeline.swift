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
/// Every decision is made by the ``ClickPipelineStateMachine`` it keeps under its lock;
/// this class only carries the actions out (writer tasks, the housekeeping timer, journal
/// calls, metrics, logs) on the injected ``PipelineClock``.
///
/// As a `Service` it must stop after the edge (list it before the edge in the group):
/// on graceful shutdown it writes everything queued, waiting up to
/// ``ClickPipelineConfiguration/drainTimeoutSeconds`` for the database, and leaves what it
/// could not store in the journal for the next start.
public final class ClickPipeline: ClickSink, Service {
    let configuration: ClickPipelineConfiguration
    let store: any ClickStore
    let enricher: ClickEnricher
    let journal: CaptureJournal?
    let metrics: ClickPipelineMetrics
    let logger: Logger
    let clock: any PipelineClock
    let machine: Mutex<ClickPipelineStateMachine>
    /// One per writer, to wake it when clicks arrive or shutdown begins.
    private let writerSignals: [WakeSignal]
    /// Wakes the housekeeping timer when the writers are done.
    private let timerSignal = WakeSignal()
    /// Only the writers sample it (a small procfs read, never under the machine's lock).
    private let pressure: Mutex<CPUPressure>

    /// - Parameters:
    ///   - configuration: batching, memory bound, drain and retry settings.
    ///   - store: where clicks are written.
    ///   - enricher: bot verdict, GeoIP, user agent, anonymisation.
    ///   - journal: the crash-safe capture journal; `nil` keeps clicks in memory only.
    ///   - metricsFactory: where the metrics go.
    ///   - logger: the pipeline's logger (never given click contents).
    ///   - clock: the time it reads and waits on; default the real one.
    public init(
        configuration: ClickPipelineConfiguration, store: any ClickStore, enricher: ClickEnricher,
        journal: CaptureJournal?, metricsFactory: any MetricsFactory, logger: Logger,
        clock: any PipelineClock = SystemPipelineClock()
    ) {
        self.configuration = configuration
        self.store = store
        self.enricher = enricher
        self.journal = journal
        self.metrics = ClickPipelineMetrics(factory: metricsFactory)
        self.logger = logger
        self.clock = clock
        self.machine = Mutex(ClickPipelineStateMachine(configuration: configuration, hasJournal: journal != nil, now: clock.now))
        self.writerSignals = (0..<configuration.writers).map { _ in WakeSignal() }
        self.pressure = Mutex(CPUPressure(path: configuration.yielding.pressureFile))
    }

    public var captureStorage: (any CaptureStorage)? { journal }

    public func submit(_ batch: ClickBatch) {
        let now = clock.now
        let arrival = machine.withLock { $0.clicksArrived(batch, at: now) }
        metrics.queueClicks.record(arrival.queuedClicks)
        switch arrival.outcome {
        case .queued: break
        case .spilled: metrics.spilledBatches.increment()
        case .dropped: metrics.dropped.increment(by: batch.count)
        }
        if let writer = arrival.wake { writerSignals[writer].signal() }
    }

    /// The age of the oldest click not yet stored (queued, or taken by a writer that is
    /// still retrying it); what `shortlinks_click_write_lag_seconds` shows.
    public var writeLag: Duration {
        let now = clock.now
        return machine.withLock { $0.lag(at: now) }
    }

    /// How long click writes have been failing without a success in between; `nil` while
    /// they succeed (or nothing was written yet). Readiness compares it with
    /// `clicks.unhealthyAfterSeconds`.
    public var writeFailingFor: Duration? {
        let now = clock.now
        return machine.withLock { $0.failingFor(at: now) }
    }

    /// Counts since start.
    public var statistics: ClickPipelineStatistics {
        machine.withLock { $0.statistics }
    }

    public func run() async throws {
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await writeUntilDrained()
            } onGracefulShutdown: {
                let timeout = Duration.milliseconds(Int64(self.configuration.drainTimeoutSeconds * 1000))
                let now = self.clock.now
                self.wake(self.machine.withLock { $0.shutdownRequested(at: now, drainTimeout: timeout) })
            }
        } onCancel: {
            self.cancel()
        }
    }

    // MARK: - Carrying out the actions

    private func writeUntilDrained() async {
        if let journal, !journal.leftovers.isEmpty {
            var context = WriterContext(index: ClickPipelineStateMachine.replayWriter)
            await replay(journal.leftovers, context: &context)
        }
        if configuration.yielding.enabled, samplePressure(at: clock.now) == .unavailable {
            logger.info(
                "no CPU pressure information: the click writers do not yield to the edge",
                metadata: ["file": "\(configuration.yielding.pressureFile)"])
        }
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await self.runTimer() }
            await withTaskGroup(of: Void.self) { writers in
                for index in 0..<configuration.writers {
                    writers.addTask { await self.runWriter(index) }
                }
            }
            timerSignal.signal()
        }
        leaveRestForNextStart()
    }

    /// One of ``ClickPipelineConfiguration/writers`` concurrent writers, each on its own
    /// connection: asks the state machine what to do until it says stop.
    private func runWriter(_ index: Int) async {
        var context = WriterContext(index: index)
        while true {
            // Cancelled (the service group is going down without a graceful shutdown): stop
            // now; what is queued stays for the next start.
            if Task.isCancelled { cancel() }
            let now = clock.now
            let reading = samplePressure(at: now)
            let action = machine.withLock { machine in
                if let reading { machine.pressureSampled(reading) }
                return machine.writerReady(index, at: now)
            }
            switch action {
            case .stop:
                return
            case .maintain:
                let succeeded = await maintain()
                let finished = clock.now
                machine.withLock { $0.maintenanceFinished(succeeded: succeeded, at: finished) }
            case .wait(let deadline):
                await writerSignals[index].wait(until: deadline, clock: clock)
            case .write(let group):
                if group.yieldedSeconds > 0 { metrics.yieldSeconds.increment(by: group.yieldedSeconds) }
                await write(group, context: &context)
            }
        }
    }

    /// Tops up the journal's spare segments (apart from the writers: a catch-up write can
    /// take seconds) and keeps the write-lag gauge current (a writer that retries one group
    /// for minutes must not freeze it), until the writers are done.
    private func runTimer() async {
        while true {
            let action = machine.withLock { $0.timerFired(at: clock.now) }
            if action.refillJournal { refillJournal() }
            if let lag = action.recordLag { metrics.writeLag.record(lag.seconds) }
            guard let next = action.next, !Task.isCancelled else { break }
            await timerSignal.wait(until: next, clock: clock)
        }
        metrics.writeLag.record(writeLag.seconds)
    }

    private func cancel() {
        wake(machine.withLock { $0.cancelled() })
        timerSignal.signal()
    }

    private func wake(_ writers: [Int]) {
        for writer in writers { writerSignals[writer].signal() }
    }

    /// The CPU pressure for the state machine; `nil` when yielding is off.
    private func samplePressure(at now: ContinuousClock.Instant) -> ClickPipelineStateMachine.PressureReading? {
        guard configuration.yielding.enabled else { return nil }
        return pressure.withLock { pressure in
            if let share = pressure.share(now: now) { return .share(share) }
            return pressure.isAvailable ? .warmingUp : .unavailable
        }
    }

    /// Replays journal files an earlier process left (idempotently), deleting each once stored.
    private func replay(_ files: [String], context: inout WriterContext) async {
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
                machine.withLock { $0.replayChunkBegins() }
                guard case .stored(let result) = await writeEvents(chunk, context: &context) else { return }
                machine.withLock { $0.replayStored(result) }
                record(result)
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

    private func maintain() async -> Bool {
        do {
            try await store.maintain(retentionMonths: configuration.retentionMonths)
            return true
        } catch {
            logger.warning("click table housekeeping failed; retrying in a minute", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// After a drain that ran out of time: clicks that exist only in memory are saved to a
    /// journal file; the journal's own segments stay as they are. Both are replayed at next start.
    private func leaveRestForNextStart() {
        let rest = machine.withLock { $0.takeRest() }
        var memoryOnly: [UInt8] = []
        var left = 0
        for batch in rest {
            left += batch.count
            if batch.journal == nil, let bytes = batch.bytes { memoryOnly += bytes }
        }
        if !memoryOnly.isEmpty {
            if let journal {
                do {
                    try journal.saveForNextStart(memoryOnly)
                } catch {
                    logger.critical("clicks could not be saved for the next start", metadata: ["error": "\(error)"])
                }
            } else {
                logger.critical("no journal configured: unwritten clicks are lost", metadata: ["clicks": "\(left)"])
            }
        }
        journal?.close()
        let statistics = machine.withLock { machine in
            machine.leftForNextStart(left)
            return machine.statistics
        }
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
