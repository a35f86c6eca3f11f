/// When one connection sends its requests. Times are nanoseconds on a monotonic clock.
///
/// Closed loop: the next request goes out as soon as the previous answer is in. Open loop:
/// request *i* is *intended* for `first + i × interval`, whether or not the server kept up;
/// a late send keeps its intended time, so a slow answer delays the requests behind it and
/// their latency (measured from the intended time) shows it — no coordinated omission.
public struct Pacer: Sendable, Equatable {
    /// The two ways of pacing.
    public enum Mode: Sendable, Equatable {
        /// As fast as the answers come back.
        case closedLoop
        /// One request every `interval` ns from `first` on.
        case openLoop(first: UInt64, interval: UInt64)
    }

    /// What to do now.
    public enum Decision: Sendable, Equatable {
        /// Send at once; the latency of this request counts from `intended`.
        case sendNow(intended: UInt64)
        /// Nothing is due before this time.
        case waitUntil(UInt64)
    }

    /// The pacing mode.
    public let mode: Mode
    private var nextIntended: UInt64

    /// - Parameter mode: closed or open loop.
    public init(mode: Mode) {
        self.mode = mode
        if case .openLoop(let first, _) = mode { nextIntended = first } else { nextIntended = 0 }
    }

    /// The next decision at time `now`. A `sendNow` consumes that intended slot.
    public mutating func decide(now: UInt64) -> Decision {
        switch mode {
        case .closedLoop:
            return .sendNow(intended: now)
        case .openLoop(_, let interval):
            guard now >= nextIntended else { return .waitUntil(nextIntended) }
            defer { nextIntended += interval }
            return .sendNow(intended: nextIntended)
        }
    }

    /// How many intended sends fell before `end` without being sent (open loop only): the
    /// backlog a server that could not keep up left behind.
    public func unsent(before end: UInt64) -> Int {
        guard case .openLoop(_, let interval) = mode, end > nextIntended else { return 0 }
        return Int((end - nextIntended + interval - 1) / interval)
    }
}
