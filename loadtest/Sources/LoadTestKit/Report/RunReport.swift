import Histogram

/// A run's results: printed as a table and written as JSON (`--json FILE`). The fields are
/// documented in loadtest/README.md ("JSON report"); keep the two in step.
public struct RunReport: Codable, Sendable {
    /// Latency percentiles in milliseconds.
    public struct Percentiles: Codable, Sendable, Equatable {
        /// Median.
        public var p50: Double
        /// 90th percentile.
        public var p90: Double
        /// 99th percentile.
        public var p99: Double
        /// 99.9th percentile.
        public var p999: Double
        /// Largest value recorded.
        public var max: Double
        /// Arithmetic mean.
        public var mean: Double
    }

    /// Errors by kind.
    public struct Errors: Codable, Sendable, Equatable {
        /// Failed connection attempts.
        public var connect: Int
        /// Requests without an answer within the timeout.
        public var timeout: Int
        /// Connections lost with a request in flight.
        public var closed: Int
        /// Answers that could not be parsed.
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
        /// Requests written.
        public var total: Int
        /// Answers during the warm-up.
        public var warmupAnswered: Int
        /// HEAD requests.
        public var head: Int
        /// Requests with a prefetch header.
        public var prefetch: Int
        /// Requests for codes that do not exist.
        public var misses: Int
        /// Requests sent as bots (HEAD, prefetch or a bot user agent).
        public var bots: Int
    }

    /// 3xx answers, every phase: each one is a click the service must store.
    public struct Redirects: Codable, Sendable, Equatable {
        /// All 3xx answers.
        public var total: Int
        /// To requests sent as bots.
        public var bots: Int
        /// To requests sent as humans.
        public var humans: Int
        /// Of `humans`: the setup's probes that waited for the edge to serve new links.
        public var probes: Int?
    }

    /// The churn scenario's coherence figures.
    public struct Coherence: Codable, Sendable, Equatable {
        /// The coherence window.
        public var windowMs: Double
        /// Answers checked.
        public var checked: Int
        /// Answers that were not coherent.
        public var violations: Int
        /// The first violations, described.
        public var samples: [String]
        /// Links the churn created during the run.
        public var linksCreated: Int
        /// Target changes the churn made.
        public var linksUpdated: Int
        /// Admin API calls that failed.
        public var adminFailures: Int
    }

    /// Which clicks belong to the run, for `--verify` and `loadtest verify`.
    public struct ClickScope: Codable, Sendable, Equatable {
        /// The run's tag on every link it created (`nil` with `--codes`).
        public var tag: String?
        /// With `--codes`: the code list file, and the clicks its links had before the run.
        public var codesFile: String?
        /// With `codesFile`: click rows of those codes before the run.
        public var baselineRows: Int?
        /// With `codesFile`: distinct click ids before the run.
        public var baselineDistinct: Int?
        /// With `codesFile`: bot clicks before the run.
        public var baselineBots: Int?
    }

    /// Report format version.
    public var version = 1
    /// `redirect`, `mixed` or `churn`.
    public var scenario: String
    /// The run id (its links' tag is `loadtest-<runId>`).
    public var runId: String
    /// The base URL requests went to.
    public var target: String
    /// `closed` or `open`.
    public var mode: String
    /// Open loop: requests per second.
    public var rate: Double?
    /// Keep-alive connections.
    public var connections: Int
    /// Event-loop threads of the harness.
    public var threads: Int
    /// Links requests were spread over.
    public var links: Int
    /// `zipf` or `uniform`.
    public var distribution: String?
    /// Warm-up length.
    public var warmupSeconds: Double
    /// Measured window.
    public var durationSeconds: Double
    /// Measured answers.
    public var requests: Int
    /// Measured answers per second.
    public var requestsPerSecond: Double
    /// Measured answers by status code.
    public var statusCounts: [String: Int]
    /// Errors by kind.
    public var errors: Errors
    /// Latency from the intended send time.
    public var latencyMs: Percentiles
    /// Latency from the actual send time.
    public var serviceTimeMs: Percentiles
    /// What was sent, every phase.
    public var sent: Sent
    /// 3xx answers, every phase.
    public var redirects: Redirects
    /// Requests written that got no answer.
    public var unanswered: Int
    /// Which clicks are the run's.
    public var scope: ClickScope
    /// Churn only.
    public var coherence: Coherence?
    /// With `--verify`.
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
