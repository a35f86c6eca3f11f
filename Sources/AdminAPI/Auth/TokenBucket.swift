/// One caller's token bucket, as pure state on a clock it is given (seconds on any monotonic
/// scale): ``take(now:rate:burst:)`` refills by the time passed, then spends one token or says
/// how long until one is there.
struct TokenBucket: Sendable, Equatable {
    /// What a request may do.
    enum Decision: Sendable, Equatable {
        /// Go ahead (a token was spent).
        case allowed
        /// Refused; a token is there again after this many whole seconds (at least 1, for `Retry-After`).
        case limited(retryAfterSeconds: Int)
    }

    /// Tokens left at ``updatedAt`` (fractional while refilling).
    private(set) var tokens: Double
    /// When ``tokens`` was last brought up to date.
    private(set) var updatedAt: Double

    /// A full bucket.
    init(burst: Int, now: Double) {
        tokens = Double(burst)
        updatedAt = now
    }

    /// Refills, then spends one token if there is one.
    /// - Parameters:
    ///   - now: the current time in seconds (a clock that went backwards counts as no time).
    ///   - rate: tokens per second, above 0.
    ///   - burst: the bucket's size.
    mutating func take(now: Double, rate: Double, burst: Int) -> Decision {
        tokens = level(at: now, rate: rate, burst: burst)
        updatedAt = max(updatedAt, now)
        if tokens >= 1 {
            tokens -= 1
            return .allowed
        }
        let wait = (1 - tokens) / rate
        return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }

    /// Whether the bucket has refilled completely by `now`: it is then no different from a new
    /// one and may be forgotten.
    func isFull(at now: Double, rate: Double, burst: Int) -> Bool {
        level(at: now, rate: rate, burst: burst) >= Double(burst)
    }

    private func level(at now: Double, rate: Double, burst: Int) -> Double {
        min(Double(burst), tokens + max(0, now - updatedAt) * rate)
    }
}
