/// One connection's request schedule as a pure state machine: the worker asks what to do,
/// tells it when it sent and when the answer came, and records what it is told. Tests drive
/// it with a fake clock.
public struct PacedSession: Sendable {
    /// What the worker should do next.
    public enum Action: Sendable, Equatable {
        /// Send a request now.
        case send
        /// Come back at this time.
        case wait(until: UInt64)
        /// The run is over for this connection.
        case finish
    }

    /// A completed request's figures.
    public struct Completion: Sendable, Equatable {
        /// Answer time minus intended send time (what a user waiting for it saw).
        public var latency: UInt64
        /// Answer time minus actual send time (what the server took once it had it).
        public var serviceTime: UInt64
        /// Intended after the warm-up: counts in the results.
        public var measured: Bool
    }

    private var pacer: Pacer
    private let warmupEnd: UInt64
    private let end: UInt64?
    private var remaining: Int?
    private var due: UInt64?
    private var inFlight: (intended: UInt64, sent: UInt64)?
    private var sendsPending = false

    /// - Parameters:
    ///   - pacer: closed or open loop.
    ///   - warmupEnd: requests intended before this time are warm-up (answered, not measured).
    ///   - end: no request is intended at or after this time (`nil`: until `requests` are done).
    ///   - requests: measured requests this connection sends (`nil`: until `end`).
    public init(pacer: Pacer, warmupEnd: UInt64, end: UInt64?, requests: Int?) {
        precondition(end != nil || requests != nil)
        self.pacer = pacer
        self.warmupEnd = warmupEnd
        self.end = end
        self.remaining = requests
    }

    /// Whether a request is out and unanswered.
    public var isBusy: Bool { inFlight != nil }

    /// What to do at `now` (call when idle: at start, after an answer, when a wait ends).
    public mutating func next(now: UInt64) -> Action {
        precondition(inFlight == nil, "one request at a time per connection")
        if let remaining, remaining <= 0 { return .finish }
        let intended: UInt64
        if let due {
            intended = due
        } else {
            switch pacer.decide(now: now) {
            case .waitUntil(let time):
                if let end, time >= end { return .finish }
                return .wait(until: time)
            case .sendNow(let time):
                intended = time
            }
        }
        if let end, intended >= end { return .finish }
        due = intended
        return .send
    }

    /// The request decided by the last `.send` went out at `now`.
    public mutating func sent(now: UInt64) {
        guard let intended = due else { preconditionFailure("sent without a .send decision") }
        due = nil
        inFlight = (intended, now)
    }

    /// The answer to the request in flight arrived at `now`.
    public mutating func completed(now: UInt64) -> Completion {
        guard let request = inFlight else { preconditionFailure("no request in flight") }
        inFlight = nil
        let measured = request.intended >= warmupEnd
        if measured, let count = remaining { remaining = count - 1 }
        return Completion(
            latency: now &- min(now, request.intended), serviceTime: now &- min(now, request.sent), measured: measured)
    }

    /// The request in flight failed (no answer): forget it so the next can go.
    public mutating func failed() -> Bool {
        guard let request = inFlight else { return false }
        inFlight = nil
        return request.intended >= warmupEnd
    }

    /// Open loop: intended sends before the end that were never sent.
    public var unsent: Int {
        guard let end else { return 0 }
        return pacer.unsent(before: end) + (due == nil ? 0 : 1)
    }
}
