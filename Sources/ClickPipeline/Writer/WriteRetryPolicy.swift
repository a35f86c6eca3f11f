public import ShortLinkCore

/// Decides what happens after a failed write of one group of clicks. A pure state
/// machine: the writer performs the actions it returns.
public struct WriteRetryPolicy: Sendable {
    /// What to do next.
    public enum Action: Sendable, Hashable {
        /// Write the same rows again, in `mode`, after `delay`.
        case retry(mode: ClickWriteMode, delay: Duration)
        /// The rows keep being refused: write them one at a time to isolate the bad ones.
        case writeOneByOne
    }

    /// The mode of the next attempt: direct first, idempotent after any failure (a failure
    /// at commit may still have stored the rows).
    public private(set) var mode: ClickWriteMode
    /// Failed attempts so far.
    public private(set) var failures = 0
    private var refusals = 0
    private let schedule: BackoffSchedule
    private let refusalsBeforeSplit: Int

    /// - Parameters:
    ///   - initialMode: `.direct` for fresh clicks, `.idempotent` for replays.
    ///   - schedule: backoff delays.
    ///   - refusalsBeforeSplit: how many data refusals before rows are written one by one; default 3.
    public init(initialMode: ClickWriteMode, schedule: BackoffSchedule, refusalsBeforeSplit: Int = 3) {
        self.mode = initialMode
        self.schedule = schedule
        self.refusalsBeforeSplit = refusalsBeforeSplit
    }

    /// Records a failure and returns the next action.
    /// - Parameters:
    ///   - kind: the classified failure.
    ///   - random: jitter source.
    public mutating func failed(_ kind: ClickStoreError.Kind, using random: inout some RandomNumberGenerator) -> Action {
        failures += 1
        let wasDirect = mode == .direct
        mode = .idempotent
        switch kind {
        case .conflict where wasDirect:
            // A duplicate id or a deleted link: the idempotent path skips those rows.
            return .retry(mode: .idempotent, delay: .zero)
        case .invalidData, .conflict:
            refusals += 1
            if refusals >= refusalsBeforeSplit { return .writeOneByOne }
            return .retry(mode: .idempotent, delay: schedule.delay(attempt: refusals, using: &random))
        case .unavailable, .other:
            return .retry(mode: .idempotent, delay: schedule.delay(attempt: failures, using: &random))
        }
    }
}
