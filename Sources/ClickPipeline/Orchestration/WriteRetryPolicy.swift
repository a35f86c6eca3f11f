public import ShortLinkCore

/// Decides what happens after a failed write of one group of clicks. A pure state
/// machine: the writer performs the actions it returns.
public struct WriteRetryPolicy: Sendable {
    /// What to do next.
    public enum Action: Sendable, Hashable {
        /// Write the same rows again after `delay` (every write is idempotent).
        case retry(delay: Duration)
        /// The rows keep being refused: write them one at a time to isolate the bad ones.
        case writeOneByOne
    }

    /// Failed attempts so far.
    public private(set) var failures = 0
    private var refusals = 0
    private let schedule: BackoffSchedule
    private let refusalsBeforeSplit: Int

    /// - Parameters:
    ///   - schedule: backoff delays.
    ///   - refusalsBeforeSplit: how many data refusals before rows are written one by one; default 3.
    public init(schedule: BackoffSchedule, refusalsBeforeSplit: Int = 3) {
        self.schedule = schedule
        self.refusalsBeforeSplit = refusalsBeforeSplit
    }

    /// Records a failure and returns the next action.
    /// - Parameters:
    ///   - kind: the classified failure.
    ///   - random: jitter source.
    public mutating func failed(_ kind: ClickStoreError.Kind, using random: inout some RandomNumberGenerator) -> Action {
        failures += 1
        switch kind {
        case .conflict where failures == 1:
            // Most likely a link deleted between the write's existence check and its
            // insert: the next attempt skips that click.
            return .retry(delay: .zero)
        case .invalidData, .conflict:
            refusals += 1
            if refusals >= refusalsBeforeSplit { return .writeOneByOne }
            return .retry(delay: schedule.delay(attempt: refusals, using: &random))
        case .unavailable, .other:
            return .retry(delay: schedule.delay(attempt: failures, using: &random))
        }
    }
}

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
