import Histogram

/// A run's results: printed as a table and written as JSON (`--json FILE`). The fields are
/// documented in loadtest/README.md ("JSON report"); keep the two in step.
public struct RunReport: Codable, Sendable {
    /// Latency percentiles in milliseconds.
    public struct Percentiles: Codable, Sendable, Equatable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        public var mean: Double
    }

    /// Errors by kind.
    public struct Errors: Codable, Sendable, Equatable {
        public var connect: Int
        public var timeout: Int
        public var closed: Int
        public var `protocol`: Int
        /// Open loop: sends due before the end that never went out (the server fell behind).
        public var unsent: Int
        /// Every kind together.
        public var total: Int

        init(connect: Int, timeout: Int, closed: Int, protocol: Int, unsent: Int) {
            self.connect = connect
            self.timeout = timeout
            self.closed = closed
            self.protocol = `protocol`
            self.unsent = unsent
            total = connect + timeout + closed + `protocol` + unsent
        }
    }

    /// What was sent, every phase (warm-up included).
    public struct Sent: Codable, Sendable, Equatable {
        public var total: Int
        public var warmupAnswered: Int
        public var head: Int
        public var prefetch: Int
        public var misses: Int
        public var bots: Int
    }

    /// 3xx answers, every phase: each one is a click the service must store.
    public struct Redirects: Codable, Sendable, Equatable {
        public var total: Int
        public var bots: Int
        public var humans: Int
    }

    /// The churn scenario's coherence figures.
    public struct Coherence: Codable, Sendable, Equatable {
        public var windowMs: Double
        public var checked: Int
        public var violations: Int
        public var samples: [String]
        public var linksCreated: Int
        public var linksUpdated: Int
        public var adminFailures: Int
    }

    /// Which clicks belong to the run, for `--verify` and `loadtest verify`.
    public struct ClickScope: Codable, Sendable, Equatable {
        /// The run's tag on every link it created (`nil` with `--codes`).
        public var tag: String?
        /// With `--codes`: the code list file, and the clicks its links had before the run.
        public var codesFile: String?
        public var baselineRows: Int?
        public var baselineDistinct: Int?
        public var baselineBots: Int?
    }

    public var version = 1
    public var scenario: String
    public var runId: String
    public var target: String
    public var mode: String
    public var rate: Double?
    public var connections: Int
    public var threads: Int
    public var links: Int
    public var distribution: String?
    public var warmupSeconds: Double
    public var durationSeconds: Double
    public var requests: Int
    public var requestsPerSecond: Double
    public var statusCounts: [String: Int]
    public var errors: Errors
    public var latencyMs: Percentiles
    public var serviceTimeMs: Percentiles
    public var sent: Sent
    public var redirects: Redirects
    public var unanswered: Int
    public var scope: ClickScope
    public var coherence: Coherence?
    public var verify: VerifyResult?

    /// Percentiles of a microsecond histogram, in milliseconds.
    static func percentiles(_ histogram: Histogram<UInt64>) -> Percentiles {
        func ms(_ microseconds: UInt64) -> Double { (Double(microseconds) / 1000 * 1000).rounded() / 1000 }
        guard histogram.totalCount > 0 else { return Percentiles(p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0) }
        return Percentiles(
            p50: ms(histogram.valueAtPercentile(50)), p90: ms(histogram.valueAtPercentile(90)),
            p99: ms(histogram.valueAtPercentile(99)), p999: ms(histogram.valueAtPercentile(99.9)),
            max: ms(histogram.max), mean: (histogram.mean / 1000 * 1000).rounded() / 1000)
    }
}
