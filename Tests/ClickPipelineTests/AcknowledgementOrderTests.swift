import ClickPipeline
import ShortLinkCore
import Testing

@Suite struct AcknowledgementOrderTests {
    private func position(_ end: Int, seals: Bool = false) -> ClickBatch.JournalPosition {
        .init(segment: 1, end: end, sealsSegment: seals)
    }

    @Test func groupsStoredOutOfOrder_areReleasedInTheOrderTheyWereTaken() {
        var order = AcknowledgementOrder()
        // Group 1 (a later part of the segment) commits before group 0.
        #expect(order.stored(1, positions: [position(200)]).isEmpty)
        #expect(order.stored(2, positions: [position(300, seals: true)]).isEmpty)
        #expect(order.heldBack == 2)
        #expect(order.stored(0, positions: [position(100)]) == [position(100), position(200), position(300, seals: true)])
        #expect(order.heldBack == 0)
        #expect(order.stored(3, positions: [position(400)]) == [position(400)])
    }

    @Test func aGroupThatIsNeverStored_holdsBackEveryLaterOne() {
        var order = AcknowledgementOrder()
        #expect(order.stored(0, positions: [position(100)]) == [position(100)])
        // Group 1 gave up (shutdown with the database down): its records must stay unacknowledged.
        #expect(order.stored(2, positions: [position(300)]).isEmpty)
        #expect(order.stored(3, positions: []).isEmpty)
        #expect(order.heldBack == 2)
    }

    @Test func groupsWithoutJournalPositions_stillKeepTheirTurn() {
        var order = AcknowledgementOrder()
        #expect(order.stored(1, positions: [position(50)]).isEmpty)
        #expect(order.stored(0, positions: []) == [position(50)])
    }
}
