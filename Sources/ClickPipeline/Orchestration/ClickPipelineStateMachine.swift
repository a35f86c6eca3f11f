public import ShortLinkCore

/// The click pipeline's orchestration as a pure value: it takes events (clicks arrived, a
/// writer is free, a write succeeded or failed, a CPU pressure sample, a timer fired,
/// shutdown requested, the task cancelled) with the instant they happened at, and returns
/// what to do (write this group, acknowledge these journal positions, wait until an
/// instant, retry at an instant, give up, stop). It does no I/O and reads no clock;
/// ``ClickPipeline`` keeps it under its lock and carries the actions out, so every decision
/// is tested on instants a test chooses.
///
/// It composes the smaller pure parts: the ``ClickQueue`` (memory bound, spilling),
/// ``AcknowledgementOrder`` (journal released in the order groups were taken),
/// ``ClickWriterHealth`` (write lag, failure streaks), ``WriteYielding`` (redirects first)
/// and one ``WriteRetryPolicy`` per writer (backoff, one-by-one isolation). All writers are
/// alike: whichever is free takes the next group or the due housekeeping.
public struct ClickPipelineStateMachine: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// The writer number the start-up replay of journal files writes as.
    public static let replayWriter = -1
    /// How soon a writer that holds back for the edge looks at the CPU pressure again.
    public static let deferRecheck = Duration.milliseconds(25)
    /// How often spare journal segments are topped up.
    public static let journalRefillInterval = Duration.milliseconds(20)
    /// How often the write-lag gauge is set.
    public static let lagInterval = Duration.milliseconds(200)
    /// When failed housekeeping is tried again.
    public static let maintenanceRetry = Duration.seconds(60)

    /// Batches a writer took from the queue to store in one transaction.
    public struct Group: Sendable {
        /// Counted from 0 in the order groups are taken; journal positions are
        /// acknowledged in this order.
        public var number: UInt64
        /// The batches, in queue order.
        public var batches: [PendingBatch]
        /// Seconds the writers held back for the edge that ended when this group was taken
        /// (0 when they did not): what the yield metric gains.
        public var yieldedSeconds: Double

        /// Clicks in the group.
        public var clicks: Int { batches.reduce(0) { $0 + $1.count } }
    }

    /// What the CPU pressure sampler knows.
    public enum PressureReading: Sendable, Hashable {
        /// No pressure information (kernel without PSI): never yield.
        case unavailable
        /// The first sample window is not complete yet: nothing is written before it is.
        case warmingUp
        /// The share of wall time some task waited for a CPU, over the last window.
        case share(Double)
    }

    /// What a free writer does next.
    public enum WriterAction: Sendable {
        /// Enrich and store this group, then report ``groupStored(_:by:result:)`` or
        /// ``groupAbandoned(_:by:)``.
        case write(Group)
        /// Run the click table housekeeping, then report ``maintenanceFinished(succeeded:at:)``.
        case maintain
        /// Wait until woken (clicks arrived, shutdown, cancellation) or until the instant
        /// (`nil`: no deadline), then ask again.
        case wait(until: Instant?)
        /// Stop: nothing more for this writer.
        case stop
    }

    /// What happened to a batch from the edge.
    public struct Arrival: Sendable, Hashable {
        /// Queued, spilled (only its journal place kept) or dropped.
        public var outcome: ClickQueue.Outcome
        /// Clicks waiting now.
        public var queuedClicks: Int
        /// A writer waiting for clicks to wake, if any.
        public var wake: Int?
    }

    /// What a writer does after a failed write of a whole group.
    public enum FailureAction: Sendable, Hashable {
        /// Write the same rows again at this instant.
        case retry(at: Instant)
        /// Write the rows one at a time, to isolate the ones the database refuses.
        case writeOneByOne
        /// Stop trying (the drain deadline would pass, or the task is cancelled): report
        /// ``groupAbandoned(_:by:)``; the group goes back to the queue for the journal.
        case giveUp
    }

    /// A ``FailureAction`` and how many attempts of this writer failed in a row (for the log).
    public struct FailureDecision: Sendable, Hashable {
        /// What to do.
        public var action: FailureAction
        /// Consecutive failed attempts of the writer, this one included.
        public var failedAttempts: Int
    }

    /// What a writer does after a failed write of a single row (one-by-one mode).
    public enum RowFailureAction: Sendable, Hashable {
        /// The database refuses the row: count it as rejected and go on with the next.
        case reject
        /// Write the row again at this instant.
        case retry(at: Instant)
        /// Stop trying, as ``FailureAction/giveUp``.
        case giveUp
    }

    /// What the housekeeping timer does.
    public struct TimerAction: Sendable, Hashable {
        /// Create spare journal segments (and read the journal gauges).
        public var refillJournal: Bool
        /// Set the write-lag gauge to this.
        public var recordLag: Duration?
        /// When to fire again; `nil` once the writers are done.
        public var next: Instant?
    }

    /// What a stored group leads to.
    public struct Stored: Sendable, Hashable {
        /// Journal positions that may be acknowledged now, in group order.
        public var acknowledge: [ClickBatch.JournalPosition]
        /// Clicks waiting now.
        public var queuedClicks: Int
    }

    /// What the writing of one group (or replay chunk) came to.
    public struct GroupResult: Sendable, Hashable {
        /// Rows inserted and clicks skipped.
        public var write = ClickWriteResult(inserted: 0)
        /// Transactions committed.
        public var transactions = 0
        /// Failed attempts that were retried.
        public var retries = 0
        /// Rows the database refused even one by one.
        public var rejected = 0

        /// An empty result.
        public init() {}
    }

    private enum Phase: Hashable {
        case running
        case draining(deadline: Instant)
        case cancelled
    }

    private enum WriterState: Hashable {
        case busy
        case waitingForClicks
        case deferring
        case stopped
    }

    private struct Attempts {
        var policy: WriteRetryPolicy
        var rowAttempts = 0
        var consecutiveFailures = 0
    }

    private let configuration: ClickPipelineConfiguration
    private let hasJournal: Bool
    private var queue: ClickQueue
    private var acknowledgements = AcknowledgementOrder()
    private var health = ClickWriterHealth()
    private var counts = ClickPipelineStatistics()
    private var phase = Phase.running
    private var writers: [WriterState]
    private var attempts: [Int: Attempts] = [:]
    private var nextGroup: UInt64 = 0
    private var pressure = PressureReading.unavailable
    private var yieldingSince: Instant?
    private var maintaining = false
    private var nextMaintenance: Instant
    private var nextRefill: Instant
    private var nextLagReading: Instant

    /// - Parameters:
    ///   - configuration: batching, memory bound, yielding, writers, retry and housekeeping settings.
    ///   - hasJournal: whether a capture journal exists (its segments are topped up).
    ///   - now: the start; housekeeping is due at once.
    public init(configuration: ClickPipelineConfiguration, hasJournal: Bool, now: Instant) {
        self.configuration = configuration
        self.hasJournal = hasJournal
        self.queue = ClickQueue(memoryBound: configuration.memoryBoundBytes)
        self.writers = Array(repeating: .busy, count: configuration.writers)
        self.nextMaintenance = now
        self.nextRefill = now
        self.nextLagReading = now
    }

    // MARK: - Reading

    /// Counts since start, with the clicks queued now.
    public var statistics: ClickPipelineStatistics {
        var statistics = counts
        statistics.queued = queue.clicks
        return statistics
    }

    /// Every writer has stopped.
    public var writersDone: Bool { writers.allSatisfy { $0 == .stopped } }

    /// The task was cancelled: writers stop without draining.
    public var isCancelled: Bool { phase == .cancelled }

    /// The age at `now` of the oldest click not yet stored (queued or being written).
    public func lag(at now: Instant) -> Duration {
        health.lag(at: now, queuedOldest: queue.oldestQueuedAt)
    }

    /// How long writes have been failing at `now`; `nil` while they are not.
    public func failingFor(at now: Instant) -> Duration? {
        health.failingFor(at: now)
    }

    // MARK: - Events from the edge and the service group

    /// A batch from an event loop.
    public mutating func clicksArrived(_ batch: ClickBatch, at now: Instant) -> Arrival {
        let outcome = queue.push(batch, at: now)
        counts.received += batch.count
        switch outcome {
        case .queued: break
        case .spilled: counts.spilledBatches += 1
        case .dropped: counts.dropped += batch.count
        }
        var wake: Int?
        if outcome != .dropped, let writer = writers.firstIndex(of: .waitingForClicks) {
            writers[writer] = .busy
            wake = writer
        }
        return Arrival(outcome: outcome, queuedClicks: queue.clicks, wake: wake)
    }

    /// Graceful shutdown began: write everything queued, giving the database until
    /// `now + drainTimeout`.
    /// - Returns: the waiting writers to wake.
    public mutating func shutdownRequested(at now: Instant, drainTimeout: Duration) -> [Int] {
        if phase == .running { phase = .draining(deadline: now + drainTimeout) }
        return wakeWaitingWriters()
    }

    /// The task was cancelled (the group going down without a graceful shutdown): stop now;
    /// what is queued stays for the next start.
    /// - Returns: the waiting writers to wake.
    public mutating func cancelled() -> [Int] {
        phase = .cancelled
        return wakeWaitingWriters()
    }

    /// The latest CPU pressure sample.
    public mutating func pressureSampled(_ reading: PressureReading) {
        pressure = reading
    }

    // MARK: - Writers

    /// A writer is free: what it does next.
    /// - Parameters:
    ///   - writer: its index, `0..<configuration.writers`.
    ///   - now: the instant.
    public mutating func writerReady(_ writer: Int, at now: Instant) -> WriterAction {
        if phase == .cancelled {
            writers[writer] = .stopped
            return .stop
        }
        if !maintaining, now >= nextMaintenance {
            maintaining = true
            writers[writer] = .busy
            return .maintain
        }
        guard let oldest = queue.oldestQueuedAt else {
            if isDraining {
                writers[writer] = .stopped
                return .stop
            }
            writers[writer] = .waitingForClicks
            return .wait(until: maintaining ? nil : nextMaintenance)
        }
        if configuration.yielding.enabled, !isDraining {
            switch pressure {
            case .unavailable:
                break
            case .warmingUp:
                // One whole sample window before the first decision: clicks queued at
                // start-up are not written in a moment the sampler knows nothing yet.
                writers[writer] = .deferring
                return .wait(until: now + Self.deferRecheck)
            case .share(let share):
                if configuration.yielding.shouldDefer(pressure: share, oldestWaiting: now - oldest, stopping: false) {
                    // The edge needs the CPUs: the clicks wait (they are in the journal),
                    // at most until the oldest has waited maxDeferSeconds.
                    if yieldingSince == nil { yieldingSince = now }
                    writers[writer] = .deferring
                    return .wait(until: min(now + Self.deferRecheck, oldest + maxDefer))
                }
            }
        }
        var yielded = 0.0
        if let since = yieldingSince {
            yielded = (now - since).seconds
            counts.yieldedSeconds += yielded
            yieldingSince = nil
        }
        // A backlog is written in larger transactions: each rollup row then takes more clicks.
        let limit =
            queue.clicks > configuration.maxClicksPerWrite
            ? configuration.catchUpClicksPerWrite : configuration.maxClicksPerWrite
        let batches = queue.take(maxClicks: limit)
        let number = nextGroup
        nextGroup += 1
        health.began(group: number, oldest: batches[0].queuedAt)
        writers[writer] = .busy
        beginWrite(writer: writer)
        return .write(Group(number: number, batches: batches, yieldedSeconds: yielded))
    }

    /// The housekeeping a writer ran has finished.
    public mutating func maintenanceFinished(succeeded: Bool, at now: Instant) {
        maintaining = false
        nextMaintenance =
            now + (succeeded ? .milliseconds(Int64(configuration.maintenanceIntervalSeconds * 1000)) : Self.maintenanceRetry)
    }

    /// The replay of journal files is about to write a chunk (as ``replayWriter``).
    public mutating func replayChunkBegins() {
        beginWrite(writer: Self.replayWriter)
    }

    /// A write attempt (a whole group, or one row) was committed.
    /// - Returns: how many attempts had failed in a row before it (for the log).
    public mutating func attemptSucceeded(writer: Int) -> Int {
        health.succeeded(writer: writer)
        let failures = attempts[writer]?.consecutiveFailures ?? 0
        attempts[writer]?.consecutiveFailures = 0
        attempts[writer]?.rowAttempts = 0
        return failures
    }

    /// A write of a whole group failed.
    /// - Parameters:
    ///   - writer: the writer (or ``replayWriter``).
    ///   - kind: the classified failure.
    ///   - enriched: whether the rows were enriched (one-by-one writing needs them).
    ///   - now: the instant.
    ///   - random: jitter source.
    public mutating func attemptFailed(
        writer: Int, kind: ClickStoreError.Kind, enriched: Bool, at now: Instant,
        using random: inout some RandomNumberGenerator
    ) -> FailureDecision {
        health.failed(writer: writer, at: now)
        var state = attempts[writer] ?? Attempts(policy: WriteRetryPolicy(schedule: configuration.backoff))
        state.consecutiveFailures += 1
        let action: FailureAction
        switch state.policy.failed(kind, using: &random) {
        case .retry(let delay): action = mayWait(delay, from: now) ? .retry(at: now + delay) : .giveUp
        case .writeOneByOne: action = enriched ? .writeOneByOne : .giveUp
        }
        attempts[writer] = state
        return FailureDecision(action: action, failedAttempts: state.consecutiveFailures)
    }

    /// A write of a single row (one-by-one mode) failed.
    public mutating func rowFailed(
        writer: Int, kind: ClickStoreError.Kind, at now: Instant, using random: inout some RandomNumberGenerator
    ) -> RowFailureAction {
        if kind == .invalidData || kind == .conflict {
            attempts[writer]?.rowAttempts = 0
            return .reject
        }
        health.failed(writer: writer, at: now)
        var state = attempts[writer] ?? Attempts(policy: WriteRetryPolicy(schedule: configuration.backoff))
        state.rowAttempts += 1
        attempts[writer] = state
        let delay = configuration.backoff.delay(attempt: state.rowAttempts, using: &random)
        return mayWait(delay, from: now) ? .retry(at: now + delay) : .giveUp
    }

    /// A group is stored: count it and release journal positions in group order.
    public mutating func groupStored(_ group: Group, by writer: Int, result: GroupResult) -> Stored {
        record(result)
        health.ended(group: group.number)
        let ready = acknowledgements.stored(group.number, positions: group.batches.compactMap(\.journal))
        return Stored(acknowledge: ready, queuedClicks: queue.clicks)
    }

    /// A writer gave a group up: it goes back to the front of the queue, its number is never
    /// acknowledged (so no later group's journal records are either: all of them are
    /// replayed at the next start), and the writer stops.
    /// - Returns: clicks waiting now.
    public mutating func groupAbandoned(_ group: Group, by writer: Int) -> Int {
        queue.putBack(group.batches)
        health.ended(group: group.number)
        health.succeeded(writer: writer)
        writers[writer] = .stopped
        return queue.clicks
    }

    /// A chunk of a journal file from an earlier process is stored.
    public mutating func replayStored(_ result: GroupResult) {
        record(result)
        counts.replayed += result.write.inserted
    }

    // MARK: - Timer and shutdown

    /// The housekeeping timer fired: journal segments and the write-lag gauge.
    public mutating func timerFired(at now: Instant) -> TimerAction {
        guard !writersDone, phase != .cancelled else {
            return TimerAction(refillJournal: false, recordLag: lag(at: now), next: nil)
        }
        var action = TimerAction(refillJournal: false, recordLag: nil, next: nil)
        if hasJournal, now >= nextRefill {
            action.refillJournal = true
            nextRefill = now + Self.journalRefillInterval
        }
        if now >= nextLagReading {
            action.recordLag = lag(at: now)
            nextLagReading = now + Self.lagInterval
        }
        action.next = hasJournal ? min(nextRefill, nextLagReading) : nextLagReading
        return action
    }

    /// The writers are done: everything still queued, for the next start.
    public mutating func takeRest() -> [PendingBatch] {
        queue.takeAll()
    }

    /// Records how many clicks were left for the next start.
    public mutating func leftForNextStart(_ clicks: Int) {
        counts.leftForNextStart = clicks
    }

    // MARK: - Private

    private var isDraining: Bool {
        if case .draining = phase { return true }
        return false
    }

    private var maxDefer: Duration { .milliseconds(Int64(configuration.yielding.maxDeferSeconds * 1000)) }

    /// Whether a writer may wait `delay` before its next attempt: not once cancelled, and
    /// not past the drain deadline.
    private func mayWait(_ delay: Duration, from now: Instant) -> Bool {
        switch phase {
        case .running: true
        case .draining(let deadline): now + delay <= deadline
        case .cancelled: false
        }
    }

    private mutating func beginWrite(writer: Int) {
        var state = attempts[writer] ?? Attempts(policy: WriteRetryPolicy(schedule: configuration.backoff))
        state.policy = WriteRetryPolicy(schedule: configuration.backoff)
        state.rowAttempts = 0
        attempts[writer] = state
    }

    private mutating func wakeWaitingWriters() -> [Int] {
        var woken: [Int] = []
        for (writer, state) in writers.enumerated() where state == .waitingForClicks || state == .deferring {
            writers[writer] = .busy
            woken.append(writer)
        }
        return woken
    }

    private mutating func record(_ result: GroupResult) {
        counts.written += result.write.inserted
        counts.batches += result.transactions
        counts.retries += result.retries
        counts.rejected += result.rejected
        counts.orphaned += result.write.orphaned
        counts.duplicates += result.write.duplicates
    }
}
