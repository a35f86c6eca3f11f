import ClickPipeline
import Testing

/// The write lag and the failure streak on a fake clock (instants given, nothing sleeps).
@Suite struct ClickWriterHealthTests {
    let start = ContinuousClock.now

    @Test func lag_countsAGroupBeingRetried_andDropsWhenItIsStored() {
        var health = ClickWriterHealth()
        // The writer took the only group (queued at start): the queue itself is empty.
        health.began(group: 0, oldest: start)
        health.failed(writer: 0, at: start + .seconds(1))
        #expect(health.lag(at: start + .seconds(10), queuedOldest: nil) == .seconds(10))
        #expect(health.lag(at: start + .seconds(1020), queuedOldest: start + .seconds(500)) == .seconds(1020))
        health.succeeded(writer: 0)
        health.ended(group: 0)
        // Left: what queued meanwhile.
        #expect(health.lag(at: start + .seconds(1021), queuedOldest: start + .seconds(1020)) == .seconds(1))
        #expect(health.lag(at: start + .seconds(1021), queuedOldest: nil) == .zero)
    }

    @Test func lag_isTheOldestOfQueueAndGroupsInFlight() {
        var health = ClickWriterHealth()
        health.began(group: 3, oldest: start + .seconds(5))
        health.began(group: 4, oldest: start + .seconds(7))
        #expect(health.lag(at: start + .seconds(9), queuedOldest: start + .seconds(2)) == .seconds(7))
        #expect(health.lag(at: start + .seconds(9), queuedOldest: start + .seconds(8)) == .seconds(4))
        health.ended(group: 3)
        #expect(health.lag(at: start + .seconds(9), queuedOldest: start + .seconds(8)) == .seconds(2))
    }

    @Test func failingFor_runsFromTheFirstFailureOfTheStreak_untilASuccess() {
        var health = ClickWriterHealth()
        #expect(health.failingFor(at: start) == nil)
        health.failed(writer: 0, at: start)
        health.failed(writer: 0, at: start + .seconds(5))
        health.failed(writer: 1, at: start + .seconds(6))
        #expect(health.failingFor(at: start + .seconds(31)) == .seconds(31))
        health.succeeded(writer: 0)
        // Writer 1 still fails, since second 6.
        #expect(health.failingFor(at: start + .seconds(31)) == .seconds(25))
        health.succeeded(writer: 1)
        #expect(health.failingFor(at: start + .seconds(40)) == nil)
    }
}
