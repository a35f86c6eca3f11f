/// Exponential backoff with a cap and ±20 % jitter: 100 ms, 200 ms, 400 ms … 5 s by default.
public struct BackoffSchedule: Sendable, Hashable {
    /// The first delay.
    public var initial: Duration
    /// The longest delay.
    public var maximum: Duration

    /// Creates a schedule.
    /// - Parameters:
    ///   - initial: first delay; default 100 ms.
    ///   - maximum: cap; default 5 s.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay before retry number `attempt` (1-based), without jitter.
    /// - Parameter attempt: how many attempts failed so far.
    public func baseDelay(attempt: Int) -> Duration {
        let doublings = max(0, min(attempt - 1, 30))
        let delay = initial * (1 << doublings)
        return delay < maximum ? delay : maximum
    }

    /// The delay with jitter, so that several writers do not retry in lockstep.
    /// - Parameters:
    ///   - attempt: how many attempts failed so far.
    ///   - random: the randomness source.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        baseDelay(attempt: attempt) * Double.random(in: 0.8...1.2, using: &random)
    }
}
