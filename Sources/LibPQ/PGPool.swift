public import Logging
import NIOConcurrencyHelpers
public import NIOPosix

/// A bounded pool of ``PGConnection``s whose blocking libpq calls run on a `NIOThreadPool`,
/// behind an async API. Never call it from code that must not suspend; it never blocks an
/// event loop.
///
/// Connections are opened lazily up to `maxConnections`. A connection taken from the idle
/// list is checked first (one non-blocking `poll`) and replaced when the server has gone
/// away, so the pool recovers by itself after a Postgres restart. A connection left inside
/// a transaction is rolled back before reuse; a broken one is dropped.
public final class PGPool: Sendable {
    /// Pool settings.
    public struct Configuration: Sendable {
        /// libpq connection URL.
        public var url: String
        /// Upper bound on open connections; default 8.
        public var maxConnections: Int
        /// libpq `connect_timeout` in seconds; default 5.
        public var connectTimeoutSeconds: Int
        /// How long `withConnection` waits for a free connection; default 10 s.
        public var acquireTimeout: Duration
        /// `application_name` of the sessions; default `shortlinks`.
        public var applicationName: String

        /// Creates pool settings.
        public init(
            url: String, maxConnections: Int = 8, connectTimeoutSeconds: Int = 5,
            acquireTimeout: Duration = .seconds(10), applicationName: String = "shortlinks"
        ) {
            self.url = url
            self.maxConnections = maxConnections
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.acquireTimeout = acquireTimeout
            self.applicationName = applicationName
        }
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var idle: [ConnectionBox] = []
        var permits: Int
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var closed = false
    }

    /// The settings the pool was made with.
    public let configuration: Configuration
    let threadPool: NIOThreadPool
    private let ownsThreadPool: Bool
    private let state: NIOLockedValueBox<State>
    private let logger: Logger

    /// Creates a pool. No connection is opened until the first use.
    /// - Parameters:
    ///   - configuration: URL and limits.
    ///   - threadPool: where blocking calls run; default: a pool of its own with
    ///     `maxConnections` threads, shut down by ``shutdown()``.
    ///   - logger: for connection events (never logs the URL's password).
    public init(configuration: Configuration, threadPool: NIOThreadPool? = nil, logger: Logger) {
        self.configuration = configuration
        if let threadPool {
            self.threadPool = threadPool
            ownsThreadPool = false
        } else {
            let own = NIOThreadPool(numberOfThreads: max(1, configuration.maxConnections))
            own.start()
            self.threadPool = own
            ownsThreadPool = true
        }
        state = NIOLockedValueBox(State(permits: max(1, configuration.maxConnections)))
        self.logger = logger
    }

    /// Runs `body` with a connection on the thread pool and returns its result.
    /// - Parameter body: blocking work; the connection must not escape it.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withLease { lease in try await lease.run(body) }
    }

    /// Holds one connection across several hops to the thread pool (for work that
    /// interleaves async steps, e.g. a COPY fed from an async sequence).
    /// - Parameter body: the work; `lease.run` executes blocking steps on the connection.
    public func withLease<T>(_ body: (PGLease) async throws -> T) async throws -> T {
        try await withLease(fresh: false, body)
    }

    /// Runs `body` on a connection opened for it (a new server backend), never an idle one:
    /// for probes that must see what a new session sees (settings changed with `ALTER
    /// DATABASE`, a server library that no longer loads). It takes one of the pool's
    /// permits like any other use, and is closed afterwards (a session opened under a
    /// setting that is reverted later must not be reused).
    /// - Parameter body: blocking work; the connection must not escape it.
    public func withFreshConnection<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withLease(fresh: true) { lease in try await lease.run(body) }
    }

    private func withLease<T>(fresh: Bool, _ body: (PGLease) async throws -> T) async throws -> T {
        try await acquirePermit()
        let box = fresh ? ConnectionBox() : (state.withLockedValue { $0.idle.popLast() } ?? ConnectionBox())
        let lease = PGLease(box: box, pool: self)
        do {
            let value = try await body(lease)
            if fresh { await close(box) }
            await finish(box)
            return value
        } catch {
            // A broken session (a restart, `pg_terminate_backend`) seldom breaks alone: close
            // the idle ones too, so that a caller's retry runs on a new connection.
            if let error = error as? PGError, error.isConnectionLevel { await closeIdle() }
            if fresh { await close(box) }
            await finish(box)
            throw error
        }
    }

    /// Runs one statement and returns its rows.
    /// - Parameters:
    ///   - sql: one statement with `$n` placeholders.
    ///   - parameters: values; `nil` is NULL.
    public func query(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> PGRows {
        try await withConnection { try $0.query(sql, parameters) }
    }

    /// Runs one statement and returns the affected row count.
    /// - Parameters:
    ///   - sql: one statement with `$n` placeholders.
    ///   - parameters: values; `nil` is NULL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PGEncodable)?] = []) async throws -> Int {
        try await withConnection { try $0.execute(sql, parameters) }
    }

    /// Runs `body` in one transaction on one connection: committed when it returns,
    /// rolled back when it throws.
    /// - Parameter body: blocking work.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        try await withConnection { connection in try connection.transaction(body) }
    }

    /// Closes idle connections, fails waiters, and stops the pool's own thread pool.
    public func shutdown() async {
        let (idle, waiters) = state.withLockedValue { state -> ([ConnectionBox], [Waiter]) in
            state.closed = true
            defer {
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PGError(code: .closed, message: "connection pool shut down"))
        }
        idle.forEach { $0.connection = nil }
        if ownsThreadPool { try? await threadPool.shutdownGracefully() }
    }

    /// Numbers for tests and metrics.
    public var statistics: (idle: Int, availablePermits: Int, waiters: Int) {
        state.withLockedValue { ($0.idle.count, $0.permits, $0.waiters.count) }
    }

    // MARK: - Internals

    func connect(_ box: ConnectionBox) throws -> PGConnection {
        if let connection = box.connection, connection.isUsable { return connection }
        if box.connection != nil {
            logger.info("postgres connection was closed by the server; reconnecting")
        }
        box.connection = nil
        let connection = try PGConnection(
            url: configuration.url, connectTimeoutSeconds: configuration.connectTimeoutSeconds,
            applicationName: configuration.applicationName)
        box.connection = connection
        return connection
    }

    private func close(_ box: ConnectionBox) async {
        _ = try? await threadPool.runIfActive { box.connection = nil }
    }

    private func closeIdle() async {
        let idle = state.withLockedValue { state -> [ConnectionBox] in
            defer { state.idle = [] }
            return state.idle
        }
        guard !idle.isEmpty else { return }
        logger.info("a postgres session broke; closing the idle ones so the next uses open new sessions")
        _ = try? await threadPool.runIfActive { idle.forEach { $0.connection = nil } }
    }

    private func finish(_ box: ConnectionBox) async {
        if let connection = box.connection {
            switch connection.transactionState {
            case .idle:
                break
            case .inTransaction, .failedTransaction:
                let cleaned = try? await threadPool.runIfActive { () -> Bool in
                    guard let connection = box.connection else { return false }
                    return (try? connection.executeScript("ROLLBACK")) != nil && connection.transactionState == .idle
                }
                if cleaned != true { box.connection = nil }
            case .active, .unknown:
                box.connection = nil
            }
        }
        let waiter: Waiter? = state.withLockedValue { state in
            if box.connection != nil, !state.closed { state.idle.append(box) }
            if state.waiters.isEmpty {
                state.permits += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.continuation.resume()
    }

    private func acquirePermit() async throws {
        enum Decision {
            case granted, closed
            case wait(Int)
        }
        let decision: Decision = state.withLockedValue { state in
            if state.closed { return .closed }
            if state.permits > 0 {
                state.permits -= 1
                return .granted
            }
            state.nextWaiterID += 1
            return .wait(state.nextWaiterID)
        }
        switch decision {
        case .granted:
            return
        case .closed:
            throw PGError(code: .closed, message: "connection pool shut down")
        case .wait(let id):
            let timeout = configuration.acquireTimeout
            let timer = Task { [weak self] in
                try await Task.sleep(for: timeout)
                self?.failWaiter(id, PGError(code: .poolTimeout, message: "no database connection free within \(timeout)"))
            }
            defer { timer.cancel() }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let closed = state.withLockedValue { state -> Bool in
                        if state.closed { return true }
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        return false
                    }
                    if closed { continuation.resume(throwing: PGError(code: .closed, message: "connection pool shut down")) }
                }
            } onCancel: {
                failWaiter(id, CancellationError())
            }
        }
    }

    private func failWaiter(_ id: Int, _ error: any Error) {
        let waiter: Waiter? = state.withLockedValue { state in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: error)
    }
}

/// One pooled connection held for the duration of ``PGPool/withLease(_:)``.
public struct PGLease: Sendable {
    let box: ConnectionBox
    let pool: PGPool

    /// Runs blocking work on the leased connection, on the pool's thread pool.
    /// - Parameter body: the work; the connection must not escape it.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let box = box
        let pool = pool
        return try await pool.threadPool.runIfActive {
            try body(try pool.connect(box))
        }
    }
}

/// Holds a connection while it moves between the pool and a thread-pool thread. Only one
/// thread touches it at a time: the pool's permit guarantees exclusive use.
final class ConnectionBox: @unchecked Sendable {
    var connection: PGConnection?
    init(connection: PGConnection? = nil) { self.connection = connection }
}
