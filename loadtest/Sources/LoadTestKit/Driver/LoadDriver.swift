import NIOCore
import NIOPosix

/// How hard and how long to drive the target.
public struct DriveSettings: Sendable {
    /// Where requests go.
    public var base: BaseURL
    /// Keep-alive connections (default 64).
    public var connections: Int = 64
    /// Event-loop threads of the harness (default 1: on a 2-core machine the server needs the rest).
    public var threads: Int = 1
    /// Requests per second in total, open loop; `nil` for closed loop (default).
    public var rate: Double?
    /// Measured time in ns (default 5 s); `nil` when `requests` bounds the run.
    public var duration: UInt64? = 5_000_000_000
    /// Measured requests in total; `nil` when `duration` bounds the run.
    public var requests: Int?
    /// Warm-up time in ns before measuring (default 1 s); answers are counted as clicks, not measured.
    public var warmup: UInt64 = 1_000_000_000
    /// A request without an answer after this many ns is an error (default 10 s).
    public var timeout: UInt64 = 10_000_000_000
    /// Seed for the request choices.
    public var seed: UInt64 = 1
    /// Receives a progress line about once a second while the run goes on (default none).
    public var progress: (@Sendable (String) -> Void)?

    /// - Parameter base: where requests go; every other field has its default.
    public init(base: BaseURL) { self.base = base }
}

/// The driver's failures that stop a run before it starts.
public struct LoadTestError: Error, CustomStringConvertible, Sendable {
    /// Stable codes.
    public enum Code: String, Sendable {
        case unreachable, badInput, adminAPI, database, setup
    }
    /// The code.
    public var code: Code
    /// What went wrong, safe to print (no tokens, no database URLs).
    public var message: String

    /// - Parameters:
    ///   - code: the stable code.
    ///   - message: what went wrong.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// Drives a ``RequestSource`` over keep-alive connections and gathers the tallies.
public enum LoadDriver {
    /// What a drive produced.
    public struct Outcome: Sendable {
        /// Every connection's counts together.
        public var tally: ConnectionTally
        /// The measured window in ns (first measured send to last measured answer).
        public var measuredNanoseconds: UInt64
    }

    /// Runs the load and returns when every connection is done.
    /// - Parameters:
    ///   - settings: connections, pacing, length.
    ///   - source: the scenario's requests.
    /// - Throws: ``LoadTestError`` `.unreachable` when the target does not accept a connection.
    public static func run(_ settings: DriveSettings, source: any RequestSource) async throws -> Outcome {
        precondition(settings.connections > 0 && settings.threads > 0)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: settings.threads)
        do {
            let outcome = try await drive(settings, source: source, group: group)
            try? await group.shutdownGracefully()
            return outcome
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func drive(_ settings: DriveSettings, source: any RequestSource, group: MultiThreadedEventLoopGroup) async throws -> Outcome {
        try await probe(settings.base, group: group)
        let now = NIODeadline.now().uptimeNanoseconds
        // A little time to open the connections before the first intended send.
        let start = now + 100_000_000
        let warmupEnd = start + settings.warmup
        let end = settings.duration.map { warmupEnd + $0 }
        var perConnection: Int?
        if let requests = settings.requests { perConnection = requests / settings.connections }
        let counter = ProgressCounter()
        var futures: [EventLoopFuture<ConnectionTally>] = []
        for index in 0..<settings.connections {
            let pacer: Pacer
            if let rate = settings.rate {
                let spacing = 1e9 / rate
                pacer = Pacer(
                    mode: .openLoop(
                        first: start + UInt64(spacing * Double(index)), interval: UInt64(spacing * Double(settings.connections))))
            } else {
                pacer = Pacer(mode: .closedLoop)
            }
            var quota = perConnection
            if let requests = settings.requests, index < requests % settings.connections { quota! += 1 }
            let session = PacedSession(pacer: pacer, warmupEnd: warmupEnd, end: end, requests: quota)
            let worker = ConnectionWorker(
                eventLoop: group.next(),
                settings: .init(host: settings.base.host, port: settings.base.port, timeout: settings.timeout),
                source: source, session: session, seed: settings.seed &* 0x9E37_79B9 &+ UInt64(index), progress: counter)
            futures.append(worker.start())
        }
        let reporter = settings.progress.map { report in
            Task {
                var last = counter.snapshot
                var seconds = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    seconds += 1
                    let now = counter.snapshot
                    let phase = NIODeadline.now().uptimeNanoseconds < warmupEnd ? " (warm-up)" : ""
                    report("\(seconds) s: \(now.answers - last.answers) answers/s, \(now.answers) in all, \(now.errors) errors\(phase)")
                    last = now
                }
            }
        }
        var total = ConnectionTally()
        for future in futures { total.merge(try await future.get()) }
        reporter?.cancel()
        let window = total.lastMeasuredAnswer > total.firstMeasuredSend ? total.lastMeasuredAnswer - total.firstMeasuredSend : 0
        // The configured window is the honest denominator when the run was time-bound.
        let measured = settings.duration.map { max($0, window) } ?? window
        return Outcome(tally: total, measuredNanoseconds: measured)
    }

    /// Opens and closes one connection, so an unreachable target fails fast with a clear message.
    private static func probe(_ base: BaseURL, group: MultiThreadedEventLoopGroup) async throws {
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(3))
                .connect(host: base.host, port: base.port).get()
            try? await channel.close()
        } catch {
            throw LoadTestError(.unreachable, "cannot connect to \(base): \(error)")
        }
    }
}
