public import CoreMetrics
public import Logging
public import ServiceLifecycle
public import ShortLinkCore

/// How often and how much the rollup worker materialises.
public struct RollupWorkerConfiguration: Sendable, Hashable {
    /// Seconds between cycles while the worker keeps up (`rollups.intervalSeconds`, default 30):
    /// a stored click is in every metric at most about this long (plus one cycle's time) after
    /// its write committed. Longer cycles cost less per click: each (link, hour) row is
    /// written once per cycle, whatever number of its clicks the cycle holds (at 10,000
    /// clicks/s over 100,000 links, 30 s instead of 10 s took Postgres from 98 to 75 µs per
    /// stored click; docs/benchmarks.md).
    public var intervalSeconds: Double
    /// Clicks one cycle's transaction takes at most (`rollups.maxClicksPerCycle`): whole
    /// batches, at least one. While more wait, cycles follow each other at once.
    public var maxClicksPerCycle: Int
    /// Seconds to wait after a failed cycle before the next.
    public var retryAfterFailureSeconds: Double
    /// Sum each stored batch into rollup groups in memory and apply the groups each cycle
    /// (`rollups.inMemory`, default true; migration 0012) rather than reading the batch's
    /// raw rows back. Batches no process holds (replays, a process that stopped) are
    /// rolled up from raw rows either way.
    public var inMemory: Bool
    /// Seconds a batch held in another process's memory waits before this process rolls it
    /// up from raw rows (`rollups.ownerLeaseSeconds`, default 120 or four intervals,
    /// whichever is longer): how late a click killed with its process (kill -9) reaches
    /// the metrics.
    public var ownerLeaseSeconds: Double

    /// Creates a configuration.
    public init(
        intervalSeconds: Double = 30, maxClicksPerCycle: Int = 1_000_000, retryAfterFailureSeconds: Double = 5,
        inMemory: Bool = true, ownerLeaseSeconds: Double? = nil
    ) {
        self.intervalSeconds = intervalSeconds
        self.maxClicksPerCycle = maxClicksPerCycle
        self.retryAfterFailureSeconds = retryAfterFailureSeconds
        self.inMemory = inMemory
        self.ownerLeaseSeconds = ownerLeaseSeconds ?? max(120, 4 * intervalSeconds)
    }
}

/// What the worker does after a cycle: pure, so it is tested without a database or a clock.
public enum RollupStep: Sendable, Hashable {
    /// Run another cycle at once: a full cycle's worth may still wait.
    case continueNow
    /// Sleep this long, then run a cycle.
    case wait(Duration)

    /// The step after a cycle's outcome.
    /// - Parameters:
    ///   - outcome: what the cycle did (`nil`: it failed).
    ///   - configuration: the worker's settings.
    public static func after(_ outcome: RollupCycle?, configuration: RollupWorkerConfiguration) -> RollupStep {
        switch outcome {
        case .rolledUp(let clicks, _)? where clicks >= configuration.maxClicksPerCycle: .continueNow
        case .rolledUp?, .busy?: .wait(.seconds(configuration.intervalSeconds))
        case nil: .wait(.seconds(configuration.retryAfterFailureSeconds))
        }
    }
}

/// Materialises the rollups from committed raw clicks (the continuous-aggregate pattern).
///
/// The click writer's transaction carries raw rows only and records each batch as pending;
/// every ``RollupWorkerConfiguration/intervalSeconds`` this service counts the pending batches
/// into the rollup tables, one transaction per cycle (``RollupStore/rollUp(maxClicks:)``),
/// so each (link, hour) rollup row is written once per cycle rather than once per batch.
/// Several instances over one database take turns (a cycle finding another at work waits for
/// the next interval). Stopping leaves pending batches in the database for the next cycle of
/// any instance: nothing is lost or counted twice.
public final class RollupWorker: Service {
    private let configuration: RollupWorkerConfiguration
    private let store: any RollupStore
    private let clock: any PipelineClock
    private let logger: Logger
    private let cycles: Counter
    private let rolledUp: Counter
    private let failures: Counter
    private let pendingClicks: Gauge
    private let lag: Gauge

    /// Creates the worker.
    /// - Parameters:
    ///   - configuration: interval and cycle size.
    ///   - store: the database.
    ///   - clock: the clock it sleeps on (tests give a manual one).
    ///   - metricsFactory: for `shortlinks_click_rollup_*`.
    ///   - logger: failures are logged here.
    public init(
        configuration: RollupWorkerConfiguration, store: any RollupStore, clock: any PipelineClock = SystemPipelineClock(),
        metricsFactory: any MetricsFactory, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
        cycles = Counter(label: "shortlinks_click_rollup_cycles_total", factory: metricsFactory)
        rolledUp = Counter(label: "shortlinks_click_rollup_clicks_total", factory: metricsFactory)
        failures = Counter(label: "shortlinks_click_rollup_failures_total", factory: metricsFactory)
        pendingClicks = Gauge(label: "shortlinks_click_rollup_pending_clicks", factory: metricsFactory)
        lag = Gauge(label: "shortlinks_click_rollup_lag_seconds", factory: metricsFactory)
    }

    /// Runs cycles until the graceful shutdown (or cancellation), then returns.
    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await self.loop()
            }
        } catch is CancellationError {
            // Stopping between cycles: pending batches wait in the database.
        }
        // The writers have drained (the service group stops the pipeline first): what this
        // process summed in memory is applied now, or else waits for another process's SQL
        // path after the owner lease.
        do {
            if let applied = try await store.applyHeld(), applied > 0 {
                rolledUp.increment(by: applied)
                logger.info("rollups applied before stopping", metadata: ["clicks": "\(applied)"])
            }
        } catch {
            logger.warning(
                "rollups held in memory not applied before stopping; another cycle rolls them up from raw rows",
                metadata: ["error": "\(error)"])
        }
    }

    private func loop() async throws {
        while !Task.isCancelled {
            let started = clock.now
            let outcome = await cycle()
            await observePending()
            switch RollupStep.after(outcome, configuration: configuration) {
            case .continueNow: continue
            case .wait(let pause): try await clock.sleep(until: started + pause)
            }
        }
    }

    /// One cycle; `nil` when it failed (logged and counted).
    private func cycle() async -> RollupCycle? {
        do {
            let outcome = try await store.rollUp(maxClicks: configuration.maxClicksPerCycle)
            cycles.increment()
            if case .rolledUp(let clicks, let fromMemory) = outcome, clicks + fromMemory > 0 {
                rolledUp.increment(by: clicks + fromMemory)
            }
            return outcome
        } catch {
            failures.increment()
            // A ClickStoreError's own description speaks of a click write; say what failed here.
            let cause = (error as? ClickStoreError).map { "\($0.kind): \($0.message)" } ?? "\(error)"
            logger.warning("rollup cycle failed; trying again later", metadata: ["error": "\(cause)"])
            return nil
        }
    }

    private func observePending() async {
        guard let pending = try? await store.pendingRollups() else { return }
        pendingClicks.record(pending.clicks)
        lag.record(pending.oldestAgeSeconds)
    }
}
