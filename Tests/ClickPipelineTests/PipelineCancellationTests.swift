import BotDetection
import ClickPipeline
import CoreMetrics
import Foundation
import GeoIPLookup
import Logging
import ShortLinkCore
import Testing

/// A pipeline whose task is cancelled (the service group going down without a graceful
/// shutdown) stops at once, even with the database down, and hands what it holds to the
/// next start instead of retrying for ever.
@Suite struct PipelineCancellationTests {
    /// A database that is always down.
    final class DownStore: ClickStore {
        /// One element per attempt.
        let attempts: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation
        init() { (attempts, continuation) = AsyncStream<Void>.makeStream() }
        func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
            continuation.yield()
            throw ClickStoreError(kind: .unavailable, message: "down")
        }
        func visitorSalt(day: Int64) async throws -> [UInt8] { [UInt8](repeating: 1, count: 16) }
        func maintain(retentionMonths: Int?) async throws {}
    }

    @Test func aCancelledPipeline_stopsWithTheDatabaseDown_andLeavesItsClicksForTheNextStart() async throws {
        let store = DownStore()
        let enricher = ClickEnricher(
            classifier: BotClassifier(rules: .builtIn), parser: UserAgentParser(), geo: DisabledGeoLocator(),
            anonymizeAddresses: true)
        let pipeline = ClickPipeline(
            configuration: ClickPipelineConfiguration(
                yielding: .never, backoff: BackoffSchedule(initial: .milliseconds(1), maximum: .milliseconds(5))),
            store: store, enricher: enricher, journal: nil, metricsFactory: NOOPMetricsHandler.instance,
            logger: Logger(label: "test"))
        var records: [UInt8] = []
        for index in 0..<5 {
            ClickRecord.append(
                to: &records, id: EntityID(high: 1, low: UInt64(index)), linkID: EntityID(high: 2, low: 3),
                timestamp: Timestamp.now(), clientIP: nil, method: .get, fields: .init())
        }
        pipeline.submit(ClickBatch(bytes: records, count: 5))

        let (ended, end) = AsyncStream<Void>.makeStream()
        let run = Task {
            try? await pipeline.run()
            end.yield()
        }
        var attempts = store.attempts.makeAsyncIterator()
        for _ in 0..<3 { _ = await attempts.next() }
        run.cancel()
        // Whichever comes first: the pipeline's end, or a generous deadline.
        let finished = await withTaskGroup(of: Bool.self) { race in
            race.addTask {
                var iterator = ended.makeAsyncIterator()
                return await iterator.next() != nil
            }
            race.addTask {
                try? await Task.sleep(for: .seconds(20))
                return false
            }
            let first = await race.next()!
            race.cancelAll()
            return first
        }
        try #require(finished, "the cancelled pipeline kept retrying")
        #expect(pipeline.statistics.leftForNextStart == 5)
        #expect(pipeline.statistics.written == 0)
    }
}
