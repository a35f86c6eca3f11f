import BotDetection
import ClickPipeline
import GeoIPLookup
import Logging
import Prometheus
import ShortLinkCore
import Synchronization
import Testing

/// `shortlinks_click_write_lag_seconds` is the age of the oldest click not yet stored:
/// it keeps growing while the writer retries a group, and drops once the group is stored.
@Suite struct WriteLagGaugeTests {
    /// A database that refuses writes until it is switched on.
    final class SwitchableStore: ClickStore {
        let up = Mutex(false)
        let attempts = Mutex(0)
        let stored = Mutex(0)
        func write(_ clicks: [StoredClick]) async throws -> ClickWriteResult {
            attempts.withLock { $0 += 1 }
            guard up.withLock({ $0 }) else { throw ClickStoreError(kind: .unavailable, message: "down") }
            stored.withLock { $0 += clicks.count }
            return ClickWriteResult(inserted: clicks.count)
        }
        func visitorSalt(day: Int64) async throws -> [UInt8] { [UInt8](repeating: 1, count: 16) }
        func maintain(retentionMonths: Int?) async throws {}
    }

    static func gauge(_ registry: PrometheusCollectorRegistry) -> Double {
        let line = registry.emitToString().split(separator: "\n").first { $0.hasPrefix("shortlinks_click_write_lag_seconds ") }
        return line.flatMap { Double($0.split(separator: " ")[1]) } ?? -1
    }

    /// Waits for a condition the pipeline reaches by itself (bounded; not a timing assertion).
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    @Test func writeLag_growsWhileWritesFail_andDropsAfterTheySucceed() async throws {
        let store = SwitchableStore()
        let registry = PrometheusCollectorRegistry()
        let pipeline = ClickPipeline(
            configuration: ClickPipelineConfiguration(
                yielding: .never, writers: 2, backoff: BackoffSchedule(initial: .milliseconds(5), maximum: .milliseconds(20))),
            store: store,
            enricher: ClickEnricher(
                classifier: BotClassifier(rules: .builtIn), parser: UserAgentParser(), geo: DisabledGeoLocator(),
                anonymizeAddresses: true),
            journal: nil, metricsFactory: PrometheusMetricsFactory(registry: registry), logger: Logger(label: "test"))
        var records: [UInt8] = []
        for index in 0..<3 {
            ClickRecord.append(
                to: &records, id: EntityID(high: 7, low: UInt64(index)), linkID: EntityID(high: 2, low: 3),
                timestamp: Timestamp.now(), clientIP: nil, method: .get, fields: .init())
        }
        pipeline.submit(ClickBatch(bytes: records, count: 3))
        let run = Task { try? await pipeline.run() }
        defer { run.cancel() }

        // The writer holds the group and retries it: the queue is empty, the clicks wait.
        #expect(try await Self.eventually { store.attempts.withLock { $0 } >= 3 })
        #expect(pipeline.statistics.queued == 0)
        let early = pipeline.writeLag
        #expect(try await Self.eventually { pipeline.writeLag > early + .milliseconds(500) })
        #expect(pipeline.writeFailingFor != nil)
        // The gauge follows while the writer is still retrying (it froze before).
        #expect(try await Self.eventually { Self.gauge(registry) >= 0.5 })
        #expect(store.stored.withLock { $0 } == 0)

        store.up.withLock { $0 = true }
        #expect(try await Self.eventually { store.stored.withLock { $0 } == 3 })
        #expect(try await Self.eventually { pipeline.writeLag == .zero && pipeline.writeFailingFor == nil })
        #expect(try await Self.eventually { Self.gauge(registry) == 0 })
    }
}
