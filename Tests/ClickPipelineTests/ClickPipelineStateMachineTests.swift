import ShortLinkCore
import Testing

@testable import ClickPipeline

/// The pipeline's orchestration on a fake clock: every event carries an instant the test
/// chooses, and the actions are checked; nothing sleeps, nothing reads the real time.
@Suite struct ClickPipelineStateMachineTests {
    typealias Machine = ClickPipelineStateMachine
    let clock = ManualClock()
    var start: ContinuousClock.Instant { clock.now }

    private func machine(
        maxClicksPerWrite: Int = 10, catchUpClicksPerWrite: Int = 100, writers: Int = 2,
        yielding: WriteYielding = .never, backoff: BackoffSchedule = BackoffSchedule(), hasJournal: Bool = false
    ) -> Machine {
        var machine = Machine(
            configuration: ClickPipelineConfiguration(
                maxClicksPerWrite: maxClicksPerWrite, catchUpClicksPerWrite: catchUpClicksPerWrite, yielding: yielding,
                writers: writers, backoff: backoff),
            hasJournal: hasJournal, now: clock.now)
        // The housekeeping due at start, out of the way.
        let step1 = machine.writerReady(0, at: clock.now)
        guard case .maintain = step1 else {
            Issue.record("housekeeping is not the first action")
            return machine
        }
        machine.maintenanceFinished(succeeded: true, at: clock.now)
        return machine
    }

    private func batch(_ count: Int, segment: UInt64? = nil, end: Int = 0) -> ClickBatch {
        ClickBatch(
            bytes: [UInt8](repeating: 1, count: count), count: count,
            journal: segment.map { .init(segment: $0, end: end, sealsSegment: false) })
    }

    private func group(_ action: Machine.WriterAction, sourceLocation: SourceLocation = #_sourceLocation) -> Machine.Group? {
        guard case .write(let group) = action else {
            Issue.record("expected a write, got \(action)", sourceLocation: sourceLocation)
            return nil
        }
        return group
    }

    private func waitDeadline(_ action: Machine.WriterAction) -> ContinuousClock.Instant?? {
        guard case .wait(let until) = action else { return nil }
        return .some(until)
    }

    // MARK: - Batching

    @Test func clicksArriving_wakeOneWaitingWriter_whichTakesThemAsOneGroup() throws {
        var machine = self.machine()
        // Writer 0 finished housekeeping; both writers find nothing and wait (until the next housekeeping).
        let step2 = machine.writerReady(0, at: start)
        #expect(waitDeadline(step2) == .some(start + .seconds(86_400)))
        let step3 = machine.writerReady(1, at: start)
        #expect(waitDeadline(step3) == .some(start + .seconds(86_400)))
        let first = machine.clicksArrived(batch(4), at: start)
        #expect(first == .init(outcome: .queued, queuedClicks: 4, wake: 0))
        // Writer 0 is already woken: the next arrival wakes writer 1, the one after nobody.
        let step4 = machine.clicksArrived(batch(4), at: start + .milliseconds(10))
        #expect(step4.wake == 1)
        let step5 = machine.clicksArrived(batch(2), at: start + .milliseconds(20))
        #expect(step5.wake == nil)
        // Everything queued (10, not more than maxClicksPerWrite) goes in one group.
        let step6 = machine.writerReady(0, at: start + .milliseconds(30))
        let taken = try #require(group(step6))
        #expect(taken.number == 0)
        #expect(taken.clicks == 10)
        #expect(taken.batches.map(\.count) == [4, 4, 2])
        #expect(taken.yieldedSeconds == 0)
        // Writer 1 finds nothing left and waits again, until the next batch wakes it.
        let step7 = machine.writerReady(1, at: start + .milliseconds(30))
        #expect(waitDeadline(step7) != nil)
        let step8 = machine.clicksArrived(batch(4), at: start + .milliseconds(40))
        #expect(step8.wake == 1)
        let step9 = machine.writerReady(1, at: start + .milliseconds(40))
        let second = try #require(group(step9))
        #expect(second.number == 1)
        #expect(second.clicks == 4)
        #expect(machine.statistics.received == 14)
        #expect(machine.statistics.queued == 0)
    }

    @Test func aBacklogOverMaxClicksPerWrite_goesInCatchUpSizedTransactions() throws {
        var machine = self.machine(maxClicksPerWrite: 10, catchUpClicksPerWrite: 100, writers: 1)
        for index in 0..<30 { _ = machine.clicksArrived(batch(5), at: start + .milliseconds(index)) }
        // 150 waiting, over 10: a catch-up group of 100 (whole batches).
        let step10 = machine.writerReady(0, at: start + .seconds(1))
        #expect(try #require(group(step10)).clicks == 100)
        // 50 left, still over 10: the rest in one.
        let step11 = machine.writerReady(0, at: start + .seconds(2))
        #expect(try #require(group(step11)).clicks == 50)
        // 15 waiting: over 10, a catch-up group again.
        for _ in 0..<3 { _ = machine.clicksArrived(batch(5), at: start + .seconds(3)) }
        let step12 = machine.writerReady(0, at: start + .seconds(4))
        #expect(try #require(group(step12)).clicks == 15)
        // The writer keeps up (7 + 7 > 10 would be a backlog, 7 is not): groups of up to 10.
        _ = machine.clicksArrived(batch(7), at: start + .seconds(5))
        let step13 = machine.writerReady(0, at: start + .seconds(6))
        #expect(try #require(group(step13)).clicks == 7)
        #expect(machine.statistics.queued == 0)
    }

    // MARK: - Yielding

    @Test func underCPUPressure_writesWait_untilTheOldestClickHasWaitedMaxDefer() throws {
        var machine = self.machine(
            writers: 1, yielding: WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 8))
        machine.pressureSampled(.share(0.9))
        _ = machine.clicksArrived(batch(3), at: start)
        // Held back, looking again in 25 ms.
        let step14 = machine.writerReady(0, at: start + .seconds(1))
        #expect(waitDeadline(step14) == .some(start + .milliseconds(1_025)))
        // New clicks do not wake a writer that holds back.
        let step15 = machine.clicksArrived(batch(3), at: start + .seconds(2))
        #expect(step15.wake == nil)
        let step16 = machine.writerReady(0, at: start + .milliseconds(7_990))
        #expect(waitDeadline(step16) == .some(start + .seconds(8)))
        // The oldest has waited 8 s: written whatever the load, both batches at once.
        let step17 = machine.writerReady(0, at: start + .seconds(8))
        let taken = try #require(group(step17))
        #expect(taken.clicks == 6)
        // Yielding began at the first hold (1 s) and ended now: 7 s, counted once.
        #expect(taken.yieldedSeconds == 7)
        #expect(machine.statistics.yieldedSeconds == 7)
    }

    @Test func whenThePressureDrops_theWriterWritesAtOnce_andTheFirstWindowIsWaitedFor() throws {
        var machine = self.machine(
            writers: 1, yielding: WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 600))
        machine.pressureSampled(.warmingUp)
        _ = machine.clicksArrived(batch(2), at: start)
        // Nothing is known about the CPUs yet: wait for the first window, not counted as yielding.
        let step18 = machine.writerReady(0, at: start)
        #expect(waitDeadline(step18) == .some(start + .milliseconds(25)))
        machine.pressureSampled(.share(0.5))
        let step19 = machine.writerReady(0, at: start + .milliseconds(100))
        #expect(waitDeadline(step19) == .some(start + .milliseconds(125)))
        machine.pressureSampled(.share(0.19))
        let step20 = machine.writerReady(0, at: start + .milliseconds(600))
        let taken = try #require(group(step20))
        #expect(taken.clicks == 2)
        #expect(taken.yieldedSeconds == 0.5)
        // Without pressure information the writer never holds back.
        _ = machine.clicksArrived(batch(2), at: start + .seconds(1))
        machine.pressureSampled(.unavailable)
        let step21 = machine.writerReady(0, at: start + .seconds(1))
        #expect(group(step21)?.yieldedSeconds == 0)
    }

    @Test func aShutdown_neverYields_andWakesTheWritersThatHoldBack() throws {
        var machine = self.machine(
            writers: 2, yielding: WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 600))
        machine.pressureSampled(.share(1))
        _ = machine.clicksArrived(batch(2), at: start)
        let step22 = machine.writerReady(0, at: start)
        #expect(waitDeadline(step22) != nil)
        let step23 = machine.writerReady(1, at: start)
        #expect(waitDeadline(step23) != nil)
        let step24 = machine.shutdownRequested(at: start + .seconds(1), drainTimeout: .seconds(30))
        #expect(step24 == [0, 1])
        let step25 = machine.writerReady(0, at: start + .seconds(1))
        #expect(try #require(group(step25)).clicks == 2)
    }

    // MARK: - Failures

    @Test func afterAFailure_theWriterRetriesWithBackoff_andWritesRefusedRowsOneByOne() {
        var machine = self.machine(writers: 1, backoff: BackoffSchedule(initial: .milliseconds(100), maximum: .seconds(5)))
        var random = SeededRandom(state: 1)
        _ = machine.clicksArrived(batch(3), at: start)
        _ = machine.writerReady(0, at: start)
        func retryDelay(_ decision: Machine.FailureDecision, from now: ContinuousClock.Instant) -> Duration? {
            guard case .retry(let at) = decision.action else { return nil }
            return at - now
        }
        // 100 ms, 200 ms, 400 ms … each ±20 %, capped at 5 s.
        var now = start
        for (attempt, base) in [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000].enumerated() {
            let decision = machine.attemptFailed(writer: 0, kind: .unavailable, enriched: true, at: now, using: &random)
            #expect(decision.failedAttempts == attempt + 1)
            let delay = retryDelay(decision, from: now)
            #expect(
                delay.map { $0 >= .milliseconds(base) * 0.8 && $0 <= .milliseconds(base) * 1.2 } == true,
                "attempt \(attempt + 1): \(String(describing: delay))")
            now += .seconds(10)
        }
        // Failing since the first failure; a success ends the streak and tells how long it was.
        #expect(machine.failingFor(at: now) == .seconds(80))
        let step26 = machine.attemptSucceeded(writer: 0)
        #expect(step26 == 8)
        #expect(machine.failingFor(at: now) == nil)

        // The next group: a first conflict is retried at once; refused data three times → one by one.
        _ = machine.clicksArrived(batch(3), at: now)
        _ = machine.writerReady(0, at: now)
        let step27 = machine.attemptFailed(writer: 0, kind: .conflict, enriched: true, at: now, using: &random)
        #expect(step27.action == .retry(at: now))
        let step28 = machine.attemptFailed(writer: 0, kind: .invalidData, enriched: true, at: now, using: &random)
        #expect(retryDelay(step28, from: now) != nil)
        let step29 = machine.attemptFailed(writer: 0, kind: .invalidData, enriched: true, at: now, using: &random)
        #expect(retryDelay(step29, from: now) != nil)
        let step30 = machine.attemptFailed(writer: 0, kind: .invalidData, enriched: true, at: now, using: &random)
        #expect(step30.action == .writeOneByOne)
        // One by one: a refused row is rejected; an unavailable database is retried with backoff.
        let step31 = machine.rowFailed(writer: 0, kind: .invalidData, at: now, using: &random)
        #expect(step31 == .reject)
        let step32 = machine.rowFailed(writer: 0, kind: .unavailable, at: now, using: &random)
        guard case .retry(let at) = step32 else {
            Issue.record("a row write that failed for want of a database is not retried")
            return
        }
        #expect(at - now >= .milliseconds(80) && at - now <= .milliseconds(120))
    }

    @Test func duringADrain_aRetryThatWouldPassTheDeadline_givesTheGroupUp_andItGoesBackForTheJournal() throws {
        var machine = self.machine(writers: 1, backoff: BackoffSchedule(initial: .seconds(1), maximum: .seconds(1)))
        var random = SeededRandom(state: 7)
        _ = machine.clicksArrived(batch(3, segment: 1, end: 3), at: start)
        let step33 = machine.writerReady(0, at: start)
        let taken = try #require(group(step33))
        _ = machine.shutdownRequested(at: start, drainTimeout: .seconds(10))
        // 1.2 s at most: fits before the deadline at 10 s.
        let step34 = machine.attemptFailed(writer: 0, kind: .unavailable, enriched: true, at: start + .seconds(5), using: &random)
        if case .retry = step34.action {
        } else {
            Issue.record("a retry that fits before the drain deadline was refused")
        }
        // At 9.3 s even the shortest delay (0.8 s) would end past the deadline: given up.
        let step35 = machine.attemptFailed(writer: 0, kind: .unavailable, enriched: true, at: start + .milliseconds(9_300), using: &random)
        #expect(step35.action == .giveUp)
        let step36 = machine.groupAbandoned(taken, by: 0)
        #expect(step36 == 3)
        #expect(machine.statistics.queued == 3)
        #expect(machine.writersDone)
        // Not acknowledged: its clicks stay in the journal.
        let step37 = machine.takeRest()
        #expect(step37.map(\.count) == [3])
    }

    @Test func aCancelledMachine_givesUpRetries_andStopsEveryWriter() {
        var machine = self.machine(writers: 2)
        var random = SeededRandom(state: 3)
        _ = machine.clicksArrived(batch(3), at: start)
        _ = machine.writerReady(0, at: start)
        let step38 = machine.writerReady(1, at: start)
        #expect(waitDeadline(step38) != nil)
        let step39 = machine.cancelled()
        #expect(step39 == [1])
        #expect(machine.isCancelled)
        let step40 = machine.attemptFailed(writer: 0, kind: .unavailable, enriched: true, at: start, using: &random)
        #expect(step40.action == .giveUp)
        let step41 = machine.rowFailed(writer: 0, kind: .unavailable, at: start, using: &random)
        #expect(step41 == .giveUp)
        let step42 = machine.writerReady(1, at: start)
        guard case .stop = step42 else {
            Issue.record("a cancelled writer did not stop")
            return
        }
    }

    @Test func withoutEnrichedRows_refusedDataIsNotWrittenOneByOne_butGivenUp() {
        var machine = self.machine(writers: 1)
        var random = SeededRandom(state: 5)
        _ = machine.clicksArrived(batch(1), at: start)
        _ = machine.writerReady(0, at: start)
        for _ in 0..<2 { _ = machine.attemptFailed(writer: 0, kind: .invalidData, enriched: false, at: start, using: &random) }
        let step43 = machine.attemptFailed(writer: 0, kind: .invalidData, enriched: false, at: start, using: &random)
        #expect(step43.action == .giveUp)
    }

    // MARK: - Acknowledgements

    @Test func groupsStoredOutOfOrder_areAcknowledgedInTheOrderTheyWereTaken() throws {
        var machine = self.machine(maxClicksPerWrite: 2, catchUpClicksPerWrite: 2, writers: 2, hasJournal: true)
        _ = machine.clicksArrived(batch(2, segment: 1, end: 100), at: start)
        _ = machine.clicksArrived(batch(2, segment: 1, end: 200), at: start)
        let step44 = machine.writerReady(0, at: start)
        let first = try #require(group(step44))
        let step45 = machine.writerReady(1, at: start)
        let second = try #require(group(step45))
        var written = Machine.GroupResult()
        written.write = ClickWriteResult(inserted: 2)
        written.transactions = 1
        // Writer 1 commits first: held back behind group 0.
        let step46 = machine.groupStored(second, by: 1, result: written)
        #expect(step46.acknowledge.isEmpty)
        #expect(machine.lag(at: start + .seconds(3)) == .seconds(3), "group 0 is still being written")
        let released = machine.groupStored(first, by: 0, result: written).acknowledge
        #expect(released == [.init(segment: 1, end: 100, sealsSegment: false), .init(segment: 1, end: 200, sealsSegment: false)])
        #expect(machine.lag(at: start + .seconds(3)) == .zero)
        #expect(machine.statistics.written == 4)
        #expect(machine.statistics.batches == 2)
    }

    // MARK: - Shutdown, housekeeping, timers

    @Test func aDrain_writesEverythingQueued_thenStopsEachWriter() throws {
        var machine = self.machine(maxClicksPerWrite: 2, catchUpClicksPerWrite: 2, writers: 2)
        let step47 = machine.writerReady(0, at: start)
        #expect(waitDeadline(step47) != nil)
        let step48 = machine.writerReady(1, at: start)
        #expect(waitDeadline(step48) != nil)
        _ = machine.clicksArrived(batch(2), at: start)  // wakes writer 0
        _ = machine.clicksArrived(batch(2), at: start)  // wakes writer 1
        _ = machine.clicksArrived(batch(2), at: start)
        let step49 = machine.shutdownRequested(at: start, drainTimeout: .seconds(30))
        #expect(step49.isEmpty, "both are already woken")
        let step50 = machine.writerReady(0, at: start)
        let step51 = machine.writerReady(1, at: start)
        let step52 = machine.writerReady(0, at: start)
        let groups = [try #require(group(step50)), try #require(group(step51)), try #require(group(step52))]
        #expect(groups.map(\.clicks) == [2, 2, 2])
        let step53 = machine.writerReady(1, at: start)
        guard case .stop = step53 else {
            Issue.record("writer 1 did not stop")
            return
        }
        #expect(!machine.writersDone)
        let step54 = machine.writerReady(0, at: start)
        guard case .stop = step54 else {
            Issue.record("writer 0 did not stop")
            return
        }
        #expect(machine.writersDone)
    }

    @Test func housekeeping_runsOnWhicheverWriterIsFree_daily_andAgainAfterAMinuteWhenItFails() {
        var machine = Machine(
            configuration: ClickPipelineConfiguration(writers: 2, maintenanceIntervalSeconds: 3_600), hasJournal: false, now: start)
        let step55 = machine.writerReady(1, at: start)
        guard case .maintain = step55 else {
            Issue.record("no housekeeping at start")
            return
        }
        // Only one runs at a time; the other writer waits for clicks without a deadline.
        let step56 = machine.writerReady(0, at: start)
        #expect(waitDeadline(step56) == .some(nil))
        machine.maintenanceFinished(succeeded: false, at: start + .seconds(1))
        let step57 = machine.writerReady(1, at: start + .seconds(1))
        #expect(waitDeadline(step57) == .some(start + .seconds(61)))
        let step58 = machine.writerReady(1, at: start + .seconds(61))
        guard case .maintain = step58 else {
            Issue.record("not retried")
            return
        }
        machine.maintenanceFinished(succeeded: true, at: start + .seconds(62))
        let step59 = machine.writerReady(1, at: start + .seconds(62))
        #expect(waitDeadline(step59) == .some(start + .seconds(3_662)))
    }

    @Test func theTimer_refillsTheJournalEvery20ms_setsTheLagEvery200ms_andEndsWithTheWriters() {
        var machine = self.machine(writers: 1, hasJournal: true)
        _ = machine.clicksArrived(batch(1), at: start)
        let step60 = machine.timerFired(at: start)
        #expect(step60 == .init(refillJournal: true, recordLag: .zero, next: start + .milliseconds(20)))
        let step61 = machine.timerFired(at: start + .milliseconds(20))
        #expect(step61 == .init(refillJournal: true, recordLag: nil, next: start + .milliseconds(40)))
        let step62 = machine.timerFired(at: start + .milliseconds(200))
        #expect(step62 == .init(refillJournal: true, recordLag: .milliseconds(200), next: start + .milliseconds(220)))
        _ = machine.shutdownRequested(at: start + .milliseconds(200), drainTimeout: .seconds(1))
        var random = SeededRandom(state: 1)
        if let taken = group(machine.writerReady(0, at: start + .milliseconds(300))) {
            _ = machine.attemptFailed(writer: 0, kind: .unavailable, enriched: true, at: start + .seconds(2), using: &random)
            _ = machine.groupAbandoned(taken, by: 0)
        }
        #expect(machine.writersDone)
        let step63 = machine.timerFired(at: start + .seconds(3))
        #expect(step63 == .init(refillJournal: false, recordLag: .seconds(3), next: nil))
    }

    @Test func replayedChunks_countAsWrittenAndReplayed() {
        var machine = self.machine()
        machine.replayChunkBegins()
        var random = SeededRandom(state: 1)
        _ = machine.attemptFailed(writer: Machine.replayWriter, kind: .unavailable, enriched: true, at: start, using: &random)
        #expect(machine.failingFor(at: start + .seconds(2)) == .seconds(2))
        let step64 = machine.attemptSucceeded(writer: Machine.replayWriter)
        #expect(step64 == 1)
        var result = Machine.GroupResult()
        result.write = ClickWriteResult(inserted: 5, duplicates: 2)
        result.transactions = 1
        result.retries = 1
        machine.replayStored(result)
        let statistics = machine.statistics
        #expect(statistics.replayed == 5)
        #expect(statistics.written == 5)
        #expect(statistics.duplicates == 2)
        #expect(statistics.retries == 1)
    }
}
