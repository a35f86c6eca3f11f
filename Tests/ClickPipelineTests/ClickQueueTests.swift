import ClickPipeline
import ShortLinkCore
import Testing

@Suite struct ClickQueueTests {
    private func batch(_ size: Int, count: Int = 1, journalEnd: Int? = nil) -> ClickBatch {
        ClickBatch(
            bytes: [UInt8](repeating: 7, count: size), count: count,
            journal: journalEnd.map { .init(segment: 1, end: $0, sealsSegment: false) })
    }

    @Test func underTheBound_batchesAreKeptInOrder() {
        var queue = ClickQueue(memoryBound: 1_000)
        #expect(queue.push(batch(100, count: 2)) == .queued)
        #expect(queue.push(batch(200, count: 3)) == .queued)
        #expect(queue.clicks == 5)
        #expect(queue.residentBytes == 300)
        let group = queue.take(maxClicks: 100)
        #expect(group.map(\.count) == [2, 3])
        #expect(queue.isEmpty && queue.residentBytes == 0 && queue.clicks == 0)
    }

    @Test func overTheBound_journalBackedBatchesKeepOnlyTheirPlace() {
        var queue = ClickQueue(memoryBound: 150)
        #expect(queue.push(batch(100, journalEnd: 100)) == .queued)
        #expect(queue.push(batch(100, journalEnd: 200)) == .spilled)
        #expect(queue.residentBytes == 100)
        let group = queue.take(maxClicks: 10)
        #expect(group[1].bytes == nil)
        #expect(group[1].journalStart == 100)
        #expect(group[1].journal?.end == 200)
    }

    @Test func memoryOnlyBatches_areKeptToTwiceTheBound_thenDroppedAndCounted() {
        var queue = ClickQueue(memoryBound: 100)
        #expect(queue.push(batch(100)) == .queued)
        #expect(queue.push(batch(100)) == .queued)
        #expect(queue.push(batch(1)) == .dropped)
        #expect(queue.clicks == 2)
    }

    @Test func take_stopsAtTheTarget_butAlwaysTakesOne() {
        var queue = ClickQueue(memoryBound: 10_000)
        _ = queue.push(batch(10, count: 6))
        _ = queue.push(batch(10, count: 6))
        #expect(queue.take(maxClicks: 5).map(\.count) == [6])
        #expect(queue.take(maxClicks: 20).map(\.count) == [6])
    }

    @Test func putBack_restoresTheFrontInOrder() {
        var queue = ClickQueue(memoryBound: 10_000)
        _ = queue.push(batch(10, count: 1))
        _ = queue.push(batch(20, count: 2))
        _ = queue.push(batch(30, count: 3))
        let group = queue.take(maxClicks: 3)
        queue.putBack(group)
        #expect(queue.clicks == 6)
        #expect(queue.residentBytes == 60)
        #expect(queue.takeAll().map(\.count) == [1, 2, 3])
    }

    @Test func theOldestWaitingBatch_isTheOneAtTheFront() {
        var queue = ClickQueue(memoryBound: 1 << 20)
        let start = ContinuousClock.now
        #expect(queue.oldestQueuedAt == nil)
        _ = queue.push(batch(10, count: 2), at: start)
        _ = queue.push(batch(10, count: 2), at: start + .seconds(1))
        #expect(queue.oldestQueuedAt == start)
        let first = queue.take(maxClicks: 2)
        #expect(queue.oldestQueuedAt == start + .seconds(1))
        queue.putBack(first)
        #expect(queue.oldestQueuedAt == start)
        _ = queue.takeAll()
        #expect(queue.oldestQueuedAt == nil)
    }
}
