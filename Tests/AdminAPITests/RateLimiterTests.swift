import ShortLinkCore
import Storage
import Synchronization
import Testing

@testable import AdminAPI

/// The token bucket and the bounded bucket table, on a fake clock.
@Suite struct RateLimiterTests {
    /// A clock the test moves by hand.
    final class FakeClock: Sendable {
        private let seconds = Mutex(1_000.0)
        var now: @Sendable () -> Double { { self.seconds.withLock { $0 } } }
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
    }

    @Test func bucket_allowsBurst_thenRefillsAtRate() {
        var bucket = TokenBucket(burst: 3, now: 0)
        let first = (0..<3).map { _ in bucket.take(now: 0, rate: 0.5, burst: 3) }
        #expect(first == [.allowed, .allowed, .allowed])
        #expect(bucket.take(now: 0, rate: 0.5, burst: 3) == .limited(retryAfterSeconds: 2))
        #expect(bucket.take(now: 1, rate: 0.5, burst: 3) == .limited(retryAfterSeconds: 1))
        #expect(bucket.take(now: 2, rate: 0.5, burst: 3) == .allowed)
        #expect(bucket.take(now: 2, rate: 0.5, burst: 3) == .limited(retryAfterSeconds: 2))
        // Idle for long: full again, never above the burst.
        #expect(bucket.isFull(at: 100, rate: 0.5, burst: 3))
        let later = (0..<4).map { _ in bucket.take(now: 100, rate: 0.5, burst: 3) }
        #expect(later == [.allowed, .allowed, .allowed, .limited(retryAfterSeconds: 2)])
    }

    @Test func bucket_clockGoingBack_countsAsNoTime() {
        var bucket = TokenBucket(burst: 1, now: 50)
        #expect(bucket.take(now: 50, rate: 1, burst: 1) == .allowed)
        #expect(bucket.take(now: 10, rate: 1, burst: 1) == .limited(retryAfterSeconds: 1))
        #expect(bucket.take(now: 51, rate: 1, burst: 1) == .allowed)
    }

    @Test func retryAfter_isWholeSecondsRoundedUp_atLeastOne() {
        var fast = TokenBucket(burst: 1, now: 0)
        _ = fast.take(now: 0, rate: 100, burst: 1)
        #expect(fast.take(now: 0, rate: 100, burst: 1) == .limited(retryAfterSeconds: 1))
        var slow = TokenBucket(burst: 1, now: 0)
        _ = slow.take(now: 0, rate: 0.3, burst: 1)
        #expect(slow.take(now: 0, rate: 0.3, burst: 1) == .limited(retryAfterSeconds: 4))
    }

    @Test func limiter_keepsOneBucketPerCaller() {
        let clock = FakeClock()
        let limiter = RateLimiter(configuration: RateLimitConfiguration(perSecond: 1, burst: 1), now: clock.now)
        #expect(limiter.take("token:a") == .allowed)
        #expect(limiter.take("token:a") == .limited(retryAfterSeconds: 1))
        #expect(limiter.take("token:b") == .allowed)
        clock.advance(1)
        #expect(limiter.take("token:a") == .allowed)
    }

    @Test func limiter_atItsBound_dropsIdleBucketsFirst_thenTheStalest() {
        let clock = FakeClock()
        let limiter = RateLimiter(
            configuration: RateLimitConfiguration(perSecond: 1, burst: 2, maxTrackedCallers: 3), now: clock.now)
        _ = limiter.take("a")
        _ = limiter.take("b")
        clock.advance(10)  // a and b are full again: forgetting them changes nothing
        _ = limiter.take("c")
        _ = limiter.take("c")
        #expect(limiter.trackedCallers == 3)
        clock.advance(0.2)
        _ = limiter.take("d")
        #expect(limiter.trackedCallers == 2, "a and b were idle and dropped")
        _ = limiter.take("d")
        clock.advance(0.2)
        _ = limiter.take("e")
        // c, d and e are all in use; f needs room: the stalest (c) goes, d keeps its state.
        _ = limiter.take("f")
        #expect(limiter.trackedCallers == 3)
        #expect(limiter.take("d") == .limited(retryAfterSeconds: 1), "d's spent bucket was kept")
        #expect(limiter.take("c") == .allowed, "c was forgotten and starts full")
        #expect(limiter.trackedCallers <= 3)
    }

    @Test func configuration_offByDefault_burstDefaultsToTheRate() {
        #expect(!RateLimitConfiguration().isEnabled)
        #expect(RateLimitConfiguration(perSecond: 2.5).burst == 3)
        #expect(RateLimitConfiguration(perSecond: 0.1).burst == 1)
        #expect(RateLimitConfiguration(perSecond: 5, burst: 20).isEnabled)
    }

    @Test func identities_haveOneBucketPerTokenAndPerOIDCUser() {
        let user = User(id: .random(), email: "a@macondo.example", name: "A", avatarURL: nil, createdAt: .now(), updatedAt: .now())
        let tokenA = StaffIdentity(user: user, method: .apiToken(.random()))
        let tokenB = StaffIdentity(user: user, method: .apiToken(.random()))
        let oidc = StaffIdentity(user: user, method: .oidc)
        #expect(Set([tokenA.rateLimitKey, tokenB.rateLimitKey, oidc.rateLimitKey]).count == 3)
        #expect(oidc.rateLimitKey == StaffIdentity(user: user, method: .oidc).rateLimitKey)
        #expect(oidc.scope == .readWrite)
    }
}
