import BotDetection
import ClickPipeline
import CoreMetrics
import Foundation
import GeoIPLookup
import Logging
import ShortLinkCore
import Synchronization
import Testing

/// A pipeline whose task is cancelled (the service group going down without a graceful
/// shutdown) stops at once, even with the database down, and hands what it holds to the
/// next start instead of retrying for ever.
@Suite struct PipelineCancellationTests {
    /// A database that is always down.
    final class DownStore: ClickStore {
        let attempts = Mutex(0)
        func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
            attempts.withLock { $0 += 1 }
            throw ClickStoreError(kind: .unavailable, message: "down")
        }
        func visitorSalt(day: Int64) async throws -> [UInt8] { [UInt8](repeating: 1, count: 16) }
        func maintain(retentionMonths: Int?) async throws {}
    }

    final class Finished: Sendable {
        private let flag = Mutex(false)
        var value: Bool { flag.withLock { $0 } }
        func set() { flag.withLock { $0 = true } }
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

        let finished = Finished()
        let run = Task {
            try? await pipeline.run()
            finished.set()
        }
        while store.attempts.withLock({ $0 }) < 3 { try await Task.sleep(for: .milliseconds(5)) }
        run.cancel()
        let deadline = ContinuousClock.now + .seconds(20)
        while !finished.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try #require(finished.value, "the cancelled pipeline kept retrying")
        #expect(pipeline.statistics.leftForNextStart == 5)
        #expect(pipeline.statistics.written == 0)
    }
}
