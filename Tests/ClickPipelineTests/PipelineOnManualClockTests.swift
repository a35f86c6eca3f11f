import BotDetection
import ClickPipeline
import CoreMetrics
import GeoIPLookup
import Logging
import ShortLinkCore
import Synchronization
import Testing

/// The real driver (``ClickPipeline``) on a manual clock: a failed write waits for its
/// backoff on that clock and is retried only when the test moves time on. The test waits
/// on what the pipeline does (a store attempt, a sleep begun), never on real time.
@Suite struct PipelineOnManualClockTests {
    /// Fails the first write, then stores; reports every attempt.
    final class FlakyStore: ClickStore {
        let attempts: AsyncStream<Int>
        private let continuation: AsyncStream<Int>.Continuation
        private let count = Mutex(0)

        init() {
            (attempts, continuation) = AsyncStream<Int>.makeStream()
        }

        func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
            let attempt = count.withLock { count -> Int in
                count += 1
                return count
            }
            continuation.yield(attempt)
            guard attempt > 1 else { throw ClickStoreError(kind: .unavailable, message: "down") }
            return ClickWriteResult(inserted: clicks.count)
        }

        func visitorSalt(day: Int64) async throws -> [UInt8] { [UInt8](repeating: 1, count: 16) }
        func maintain(retentionMonths: Int?) async throws {}
    }

    @Test func aFailedWrite_isRetriedAfterItsBackoff_onThePipelinesClock() async throws {
        let clock = ManualClock()
        let store = FlakyStore()
        let pipeline = ClickPipeline(
            configuration: ClickPipelineConfiguration(
                yielding: .never, writers: 1, backoff: BackoffSchedule(initial: .seconds(10), maximum: .seconds(10))),
            store: store,
            enricher: ClickEnricher(
                classifier: BotClassifier(rules: .builtIn), parser: UserAgentParser(), geo: DisabledGeoLocator(),
                anonymizeAddresses: true),
            journal: nil, metricsFactory: NOOPMetricsHandler.instance, logger: Logger(label: "test"), clock: clock)
        var records: [UInt8] = []
        for index in 0..<4 {
            ClickRecord.append(
                to: &records, id: EntityID(high: 5, low: UInt64(index)), linkID: EntityID(high: 2, low: 3),
                timestamp: Timestamp.now(), clientIP: nil, method: .get, fields: .init())
        }
        let failedAt = clock.now
        pipeline.submit(ClickBatch(bytes: records, count: 4))
        let run = Task { try? await pipeline.run() }

        var attempts = store.attempts.makeAsyncIterator()
        let first = await attempts.next()
        #expect(first == 1)
        // The writer sleeps for its backoff: 10 s ± 20 % on the manual clock (the timer's
        // 200 ms and the housekeeping's day are other sleeps).
        var sleeps = clock.sleeps.makeAsyncIterator()
        var backoff: ContinuousClock.Instant?
        while backoff == nil, let deadline = await sleeps.next() {
            if deadline - failedAt >= .seconds(8), deadline - failedAt <= .seconds(12) { backoff = deadline }
        }
        let retryAt = try #require(backoff)
        #expect(pipeline.statistics.written == 0)
        #expect(pipeline.writeFailingFor == .zero)
        clock.advance(by: .seconds(5))
        #expect(pipeline.writeFailingFor == .seconds(5))
        #expect(pipeline.writeLag == .seconds(5), "the group being retried still counts")
        clock.advance(by: retryAt - clock.now)
        let second = await attempts.next()
        #expect(second == 2)
        run.cancel()
        await run.value
        let statistics = pipeline.statistics
        #expect(statistics.written == 4)
        #expect(statistics.retries == 1)
        #expect(statistics.batches == 1)
        #expect(pipeline.writeFailingFor == nil)
    }
}
