public import Logging
public import ServiceLifecycle
public import Storage
import Synchronization

/// Runs the readiness checks that cost something (the database ping, migrations, the
/// write probe on a new session, the journal's free space) in the background every
/// ``ReadinessChecks/interval`` and keeps their last result, which `/readyz` answers with; a
/// result older than the interval is refreshed on demand first (one evaluation at a time,
/// shared by every waiting request), so a flood of `/readyz` cannot load the database. The
/// in-process checks (click writer, link cache) only read memory and are evaluated on each
/// request.
///
/// It logs each change between ready and not ready, and logs once per episode, with what to
/// do, when new sessions cannot load a Postgres library (binaries upgraded under a running
/// server).
public final class ReadinessMonitor: Service, Sendable {
    private struct State {
        /// The last evaluation of the costly checks.
        var last: ReadinessReport?
        var running: Task<ReadinessReport, Never>?
        var libraryFailureLogged = false
        var wasReady: Bool?
    }

    private let health: DatabaseHealth
    private let checks: ReadinessChecks
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates the monitor; nothing runs until ``run()`` or the first ``report()``.
    /// - Parameters:
    ///   - health: the database's probes.
    ///   - checks: what else to check, and how often.
    ///   - logger: for readiness changes and the library-failure advice.
    public init(health: DatabaseHealth, checks: ReadinessChecks, logger: Logger) {
        self.health = health
        self.checks = checks
        self.logger = logger
    }

    /// The latest report: the costly checks' last result (evaluated first when it is older
    /// than the interval) and the in-process checks as they are now.
    public func report() async -> ReadinessReport {
        complete(await costlyReport())
    }

    /// Evaluates the costly checks now (or joins the evaluation that is running) and returns
    /// the whole report.
    @discardableResult
    public func refresh() async -> ReadinessReport {
        let task = state.withLock { startEvaluation(&$0) }
        return complete(await task.value)
    }

    private func costlyReport() async -> ReadinessReport {
        enum Next {
            case fresh(ReadinessReport)
            case wait(Task<ReadinessReport, Never>)
        }
        let now = ContinuousClock.now
        let next: Next = state.withLock { state in
            if let last = state.last, now - last.checkedAt < checks.interval { return .fresh(last) }
            return .wait(startEvaluation(&state))
        }
        switch next {
        case .fresh(let report): return report
        case .wait(let task): return await task.value
        }
    }

    /// Re-evaluates every interval until the service group shuts down.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                try await Task.sleep(for: max(self.checks.interval, .milliseconds(100)))
            }
        }
    }

    private func startEvaluation(_ state: inout State) -> Task<ReadinessReport, Never> {
        if let running = state.running { return running }
        let task = Task { await self.evaluate() }
        state.running = task
        return task
    }

    private func evaluate() async -> ReadinessReport {
        let started = ContinuousClock.now
        var entries: [ReadinessReport.Entry] = []
        func add(_ check: String, _ outcome: ReadinessOutcome) { entries.append(.init(check: check, outcome: outcome)) }
        var libraryFailure: StorageError?
        do {
            try await health.ping()
            add("database", .ok())
        } catch {
            add("database", .failing("unreachable", DatabaseHealth.explain(error, restartAdvice: checks.restartAdvice)))
            if let error = error as? StorageError, error.code == .libraryCannotLoad { libraryFailure = error }
        }
        if entries[0].outcome.passes {
            let current = (try? await checks.migrationsCurrent()) ?? false
            add(
                "migrations",
                current
                    ? .ok("current")
                    : .failing("pending", "migrations are pending, modified or unknown: see `shortlinks migrate --status`"))
            if checks.probeWrites {
                do {
                    try await health.probeWritePath()
                    add("writePath", .ok())
                } catch {
                    add("writePath", .failing("failing", DatabaseHealth.explain(error, restartAdvice: checks.restartAdvice)))
                    if let error = error as? StorageError, error.code == .libraryCannotLoad { libraryFailure = error }
                }
            }
        } else {
            add("migrations", ReadinessOutcome(state: "unknown"))
            if checks.probeWrites { add("writePath", ReadinessOutcome(state: "unknown")) }
        }
        if let journalSpace = checks.journalSpace { add("journalSpace", await journalSpace()) }
        let report = ReadinessReport(entries: entries, checkedAt: started)
        let logAdvice = state.withLock { state -> Bool in
            state.last = report
            state.running = nil
            let logAdvice = libraryFailure != nil && !state.libraryFailureLogged
            if libraryFailure == nil, report.outcome("database")?.passes == true,
                report.outcome("writePath")?.passes ?? true
            {
                state.libraryFailureLogged = false
            } else if logAdvice {
                state.libraryFailureLogged = true
            }
            return logAdvice
        }
        if logAdvice, let libraryFailure {
            logger.critical(
                "Postgres cannot load a library in new sessions: its binaries were most likely upgraded under the running server, so every new connection fails its first write. Restart the Postgres server: \(checks.restartAdvice)",
                metadata: ["error": "\(libraryFailure)"])
        }
        return report
    }

    /// Adds the in-process checks to the costly ones and logs a change of readiness.
    private func complete(_ costly: ReadinessReport) -> ReadinessReport {
        var report = costly
        if let clickWriter = checks.clickWriter { report.entries.append(.init(check: "clickWriter", outcome: clickWriter())) }
        if let loaded = checks.cacheLoaded {
            report.entries.append(
                .init(
                    check: "linkCache",
                    outcome: loaded() ? .ok("loaded") : .failing("loading", "the edge is still loading its link cache")))
        }
        let changed = state.withLock { state -> Bool in
            defer { state.wasReady = report.ready }
            return state.wasReady != report.ready
        }
        if changed {
            if report.ready {
                logger.info("ready")
            } else {
                logger.warning(
                    "not ready",
                    metadata: ["failed": "\(report.failures.map { "\($0.check): \($0.outcome.reason ?? "")" }.joined(separator: "; "))"])
            }
        }
        return report
    }
}
