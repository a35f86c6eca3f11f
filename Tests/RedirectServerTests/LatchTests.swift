import Testing

@testable import RedirectServer

/// The one-way signal behind `EdgeServer.waitUntilListening` and the link cache's first load:
/// waiters wake when it opens, not on a timer.
@Suite struct LatchTests {
    @Test func aWaiterWakesWhenTheLatchOpens_longBeforeItsDeadline() async {
        let latch = Latch()
        let waiter = Task { await latch.wait(until: .now + .seconds(3600)) }
        latch.open()
        #expect(await waiter.value)
        // Open stays open: a later wait returns at once, even with its deadline passed.
        #expect(await latch.wait(until: .now - .seconds(1)))
    }

    @Test func aWaitEndsAtItsDeadline_closed() async {
        let latch = Latch()
        #expect(await latch.wait(until: .now - .seconds(1)) == false)
        #expect(latch.isOpen == false)
    }

    @Test func aCancelledWaitReturnsClosed() async {
        let latch = Latch()
        let waiter = Task { await latch.wait(until: .now + .seconds(3600)) }
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
