import ClickPipeline
import ShortLinkCore
import Testing

@Suite struct RetryPolicyTests {
    private let schedule = BackoffSchedule(initial: .milliseconds(100), maximum: .seconds(5))

    @Test func baseDelay_doublesUpToTheCap() {
        #expect(schedule.baseDelay(attempt: 1) == .milliseconds(100))
        #expect(schedule.baseDelay(attempt: 2) == .milliseconds(200))
        #expect(schedule.baseDelay(attempt: 4) == .milliseconds(800))
        #expect(schedule.baseDelay(attempt: 20) == .seconds(5))
    }

    @Test func jitter_staysWithinTwentyPercent() {
        var random = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let delay = schedule.delay(attempt: attempt, using: &random)
            let base = schedule.baseDelay(attempt: attempt)
            #expect(delay >= base * 0.8 && delay <= base * 1.2)
        }
    }

    @Test func firstConflict_retriesAtOnce_laterOnesBackOff() {
        var random = SystemRandomNumberGenerator()
        var policy = WriteRetryPolicy(schedule: schedule)
        #expect(policy.failed(.conflict, using: &random) == .retry(delay: .zero))
        guard case .retry(let delay) = policy.failed(.conflict, using: &random) else {
            Issue.record("a second conflict is retried after a delay")
            return
        }
        #expect(delay > .zero)
    }

    @Test func unavailable_backsOffAndNeverSplits() {
        var random = SystemRandomNumberGenerator()
        var policy = WriteRetryPolicy(schedule: schedule)
        for _ in 0..<50 {
            guard case .retry(let delay) = policy.failed(.unavailable, using: &random) else {
                Issue.record("an unreachable database must only ever be retried")
                return
            }
            #expect(delay > .zero)
        }
    }

    @Test func repeatedRefusals_switchToOneByOne() {
        var random = SystemRandomNumberGenerator()
        var policy = WriteRetryPolicy(schedule: schedule, refusalsBeforeSplit: 3)
        if case .writeOneByOne = policy.failed(.invalidData, using: &random) { Issue.record("too early") }
        if case .writeOneByOne = policy.failed(.invalidData, using: &random) { Issue.record("too early") }
        #expect(policy.failed(.invalidData, using: &random) == .writeOneByOne)
    }
}
