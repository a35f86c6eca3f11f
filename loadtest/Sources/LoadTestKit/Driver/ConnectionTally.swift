public import Histogram

/// What one connection counted; merged into the run's results at the end.
public struct ConnectionTally: Sendable {
    /// Latency from the intended send time, microseconds (measured requests only).
    public var latency = ConnectionTally.makeHistogram()
    /// Time from the actual send to the answer, microseconds (measured requests only).
    public var serviceTime = ConnectionTally.makeHistogram()
    /// Answers by status code (measured requests only).
    public var statuses = [Int](repeating: 0, count: 600)
    /// Answers after the warm-up.
    public var measured = 0
    /// Answers during the warm-up.
    public var warmup = 0
    /// Requests written, every phase.
    public var sent = 0
    /// HEAD requests written, every phase.
    public var sentHead = 0
    /// Requests with a prefetch header written, every phase.
    public var sentPrefetch = 0
    /// Requests for codes that do not exist, every phase.
    public var sentMisses = 0
    /// Requests sent as bots, every phase.
    public var sentBots = 0
    /// 3xx answers to requests sent as bots, every phase (each is a stored click).
    public var redirectsBots = 0
    /// 3xx answers to requests sent as humans, every phase.
    public var redirectsHumans = 0
    /// Requests written that never got an answer (the connection failed): the server may
    /// or may not have counted them.
    public var unanswered = 0
    /// Connection attempts that failed.
    public var connectErrors = 0
    /// Connections lost with a request in flight.
    public var closedErrors = 0
    /// Requests without an answer within the timeout.
    public var timeouts = 0
    /// Answers that could not be parsed.
    public var protocolErrors = 0
    /// Open loop: sends that were due before the end but never went out.
    public var unsent = 0
    /// Answers checked for coherence (churn).
    public var coherenceChecked = 0
    /// Answers that broke coherence (churn).
    public var coherenceViolations = 0
    /// The first few violations, described.
    public var violationSamples: [String] = []
    /// Earliest measured send (ns), for the measured window.
    public var firstMeasuredSend: UInt64 = .max
    /// Latest measured answer (ns).
    public var lastMeasuredAnswer: UInt64 = 0

    /// An empty tally.
    public init() {}

    /// Values up to an hour in microseconds, 3 significant digits.
    public static func makeHistogram() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
    }

    /// Adds another connection's counts to this one.
    public mutating func merge(_ other: ConnectionTally) {
        latency.add(other.latency)
        serviceTime.add(other.serviceTime)
        for k in statuses.indices { statuses[k] += other.statuses[k] }
        measured += other.measured
        warmup += other.warmup
        sent += other.sent
        sentHead += other.sentHead
        sentPrefetch += other.sentPrefetch
        sentMisses += other.sentMisses
        sentBots += other.sentBots
        redirectsBots += other.redirectsBots
        redirectsHumans += other.redirectsHumans
        unanswered += other.unanswered
        connectErrors += other.connectErrors
        closedErrors += other.closedErrors
        timeouts += other.timeouts
        protocolErrors += other.protocolErrors
        unsent += other.unsent
        coherenceChecked += other.coherenceChecked
        coherenceViolations += other.coherenceViolations
        violationSamples.append(contentsOf: other.violationSamples.prefix(max(0, 10 - violationSamples.count)))
        firstMeasuredSend = min(firstMeasuredSend, other.firstMeasuredSend)
        lastMeasuredAnswer = max(lastMeasuredAnswer, other.lastMeasuredAnswer)
    }
}
