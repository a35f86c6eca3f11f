import Synchronization

/// The token buckets of every caller, behind one lock, bounded in number: when a new caller
/// would exceed ``RateLimitConfiguration/maxTrackedCallers``, buckets that have refilled
/// completely are dropped (they hold no state worth keeping), and if none has, the one used
/// longest ago. The time comes from an injected clock, so tests drive it without sleeping.
final class RateLimiter: Sendable {
    let configuration: RateLimitConfiguration
    private let now: @Sendable () -> Double
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// - Parameters:
    ///   - configuration: rate, burst, bound.
    ///   - now: seconds on a monotonic scale; default the process's continuous clock.
    init(configuration: RateLimitConfiguration, now: @escaping @Sendable () -> Double = RateLimiter.continuousSeconds()) {
        self.configuration = configuration
        self.now = now
    }

    /// Spends one request of `caller`'s allowance.
    /// - Parameter caller: a stable key of the authenticated caller (`token:<id>`, `oidc:<user id>`).
    func take(_ caller: String) -> TokenBucket.Decision {
        let time = now()
        let rate = configuration.perSecond
        let burst = configuration.burst
        return buckets.withLock { buckets in
            if buckets[caller] == nil {
                if buckets.count >= configuration.maxTrackedCallers {
                    Self.evict(&buckets, at: time, rate: rate, burst: burst, bound: configuration.maxTrackedCallers)
                }
                buckets[caller] = TokenBucket(burst: burst, now: time)
            }
            return buckets[caller]!.take(now: time, rate: rate, burst: burst)
        }
    }

    /// How many callers have a bucket (for tests).
    var trackedCallers: Int { buckets.withLock { $0.count } }

    private static func evict(_ buckets: inout [String: TokenBucket], at time: Double, rate: Double, burst: Int, bound: Int) {
        buckets = buckets.filter { !$0.value.isFull(at: time, rate: rate, burst: burst) }
        // Every bucket still in use: make room for the newcomer by the one used longest ago.
        while buckets.count >= bound, let stalest = buckets.min(by: { $0.value.updatedAt < $1.value.updatedAt })?.key {
            buckets[stalest] = nil
        }
    }

    /// Seconds since the limiter was made, on `ContinuousClock`.
    static func continuousSeconds() -> @Sendable () -> Double {
        let start = ContinuousClock.now
        return {
            let elapsed = (ContinuousClock.now - start).components
            return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        }
    }
}
