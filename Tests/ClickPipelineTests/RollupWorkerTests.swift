import ClickPipeline
import CoreMetrics
import Logging
import ShortLinkCore
import Synchronization
import Testing

/// The rollup worker's schedule (a pure decision) and the worker itself on a manual clock
/// over a scripted store: it waits on what the worker does (a cycle, a sleep begun), never
/// on real time.
@Suite struct RollupWorkerTests {
    let configuration = RollupWorkerConfiguration(intervalSeconds: 10, maxClicksPerCycle: 1000, retryAfterFailureSeconds: 3)

    @Test func aFullCycleRunsTheNextAtOnce_otherwiseTheWorkerWaitsItsInterval() {
        #expect(RollupStep.after(.rolledUp(clicks: 1000), configuration: configuration) == .continueNow)
        #expect(RollupStep.after(.rolledUp(clicks: 1200), configuration: configuration) == .continueNow)
        #expect(RollupStep.after(.rolledUp(clicks: 999), configuration: configuration) == .wait(.seconds(10)))
        #expect(RollupStep.after(.rolledUp(clicks: 0), configuration: configuration) == .wait(.seconds(10)))
        #expect(RollupStep.after(.busy, configuration: configuration) == .wait(.seconds(10)))
        #expect(RollupStep.after(nil, configuration: configuration) == .wait(.seconds(3)))
    }

    /// Answers cycles from a script (a `nil` entry fails) and reports each one.
    final class ScriptedStore: RollupStore {
        private let script: Mutex<[RollupCycle?]>
        let cycles: AsyncStream<Int>
        private let continuation: AsyncStream<Int>.Continuation
        private let count = Mutex(0)

        init(_ script: [RollupCycle?]) {
            self.script = Mutex(script)
            (cycles, continuation) = AsyncStream<Int>.makeStream()
        }

        func rollUp(maxClicks: Int) async throws -> RollupCycle {
            let next = script.withLock { $0.isEmpty ? .rolledUp(clicks: 0) : $0.removeFirst() }
            let number = count.withLock { count -> Int in
                count += 1
                return count
            }
            continuation.yield(number)
            guard let next else { throw ClickStoreError(kind: .unavailable, message: "down") }
            return next
        }

        var cyclesRun: Int { count.withLock { $0 } }

        private let held = Mutex(0)
        var heldApplied: Int { held.withLock { $0 } }

        func applyHeld() async throws -> Int? {
            held.withLock { $0 += 1 }
            return 7
        }

        func pendingRollups() async throws -> PendingRollups { PendingRollups(batches: 0, clicks: 0, oldestAgeSeconds: 0) }
    }

    @Test func theWorkerCatchesUpAtOnce_thenSleepsItsInterval_andAfterAFailureItsRetryPause() async throws {
        let clock = ManualClock()
        let start = clock.now
        let store = ScriptedStore([.rolledUp(clicks: 1000), .rolledUp(clicks: 40), nil, .busy])
        let worker = RollupWorker(
            configuration: configuration, store: store, clock: clock, metricsFactory: NOOPMetricsHandler.instance,
            logger: Logger(label: "test"))
        let run = Task { try await worker.run() }
        var cycles = store.cycles.makeAsyncIterator()
        var sleeps = clock.sleeps.makeAsyncIterator()

        // A full cycle, then the next one at once without sleeping; then the interval.
        #expect(await cycles.next() == 1)
        #expect(await cycles.next() == 2)
        #expect(await sleeps.next() == start + .seconds(10))
        clock.advance(by: .seconds(10))
        // The third cycle fails: the worker waits the retry pause from its start.
        #expect(await cycles.next() == 3)
        #expect(await sleeps.next() == start + .seconds(13))
        clock.advance(by: .seconds(3))
        // Another instance is at it: wait the interval.
        #expect(await cycles.next() == 4)
        #expect(await sleeps.next() == start + .seconds(23))
        // Cancelled while asleep, it stops without another cycle, applying what the process
        // holds in memory once.
        #expect(store.heldApplied == 0)
        run.cancel()
        _ = await run.result
        #expect(store.cyclesRun == 4)
        #expect(store.heldApplied == 1)
    }
}
