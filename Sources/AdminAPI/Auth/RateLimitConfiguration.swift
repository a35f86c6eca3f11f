/// The per-caller request rate limit of the admin API: a token bucket per API token and per
/// OIDC identity, refilled at ``perSecond`` up to ``burst``. Off by default (the loopback demo
/// and the load test run without it).
public struct RateLimitConfiguration: Sendable, Equatable {
    /// Requests per second a caller may sustain; `0` turns the limit off. Default 0.
    public var perSecond: Double
    /// Requests a caller may make at once after being idle (the bucket's size). Default 0,
    /// which with a rate means the rate rounded up (at least 1).
    public var burst: Int
    /// Most callers tracked at once; beyond it idle buckets (already full again, so forgetting
    /// them changes nothing) are dropped, then the longest-unused. Default 10,000.
    public var maxTrackedCallers: Int

    /// Creates rate-limit settings.
    /// - Parameters:
    ///   - perSecond: sustained rate; default 0 (off).
    ///   - burst: bucket size; default 0 (the rate rounded up).
    ///   - maxTrackedCallers: default 10,000.
    public init(perSecond: Double = 0, burst: Int = 0, maxTrackedCallers: Int = 10_000) {
        self.perSecond = max(0, perSecond)
        self.burst = perSecond > 0 && burst <= 0 ? max(1, Int(perSecond.rounded(.up))) : max(0, burst)
        self.maxTrackedCallers = max(1, maxTrackedCallers)
    }

    /// Whether requests are limited at all.
    public var isEnabled: Bool { perSecond > 0 && burst > 0 }
}
