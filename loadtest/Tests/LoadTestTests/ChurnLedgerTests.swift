import Testing

@testable import LoadTestKit

/// Coherence judgement of the churn scenario on a fake clock (ms → ns), window 1 s.
@Suite struct ChurnLedgerTests {
    static func ms(_ value: UInt64) -> UInt64 { value * 1_000_000 }

    static func ledger() -> ChurnLedger {
        ChurnLedger(
            links: LinkSet(codes: ["a"], targets: ["https://example.com/v0"], ids: ["id-a"], clientID: "c"),
            window: ms(1000))
    }

    @Test func oldTarget_isAcceptedWithinTheWindowAfterTheChange_andRefusedAfter() {
        let ledger = Self.ledger()
        let version = ledger.changing(0, to: "https://example.com/v1", now: Self.ms(10_000))
        ledger.changed(0, version: version, now: Self.ms(10_020))
        // The new target may show as soon as the change was sent.
        #expect(ledger.check(slot: 0, status: 302, location: "https://example.com/v1", sent: Self.ms(10_005), received: Self.ms(10_006)) == nil)
        // The old one until the acknowledgement plus the window.
        #expect(ledger.check(slot: 0, status: 302, location: "https://example.com/v0", sent: Self.ms(10_900), received: Self.ms(10_901)) == nil)
        let late = ledger.check(slot: 0, status: 302, location: "https://example.com/v0", sent: Self.ms(11_100), received: Self.ms(11_101))
        #expect(late?.contains("current target https://example.com/v1") == true)
        // A target that never existed is always wrong.
        #expect(ledger.check(slot: 0, status: 302, location: "https://example.com/other", sent: 0, received: 1) != nil)
    }

    @Test func newLink_mayAnswer404OnlyWithinTheWindowAfterItsCreation() {
        let ledger = Self.ledger()
        ledger.created(code: "b", id: "id-b", target: "https://example.com/b", sentAt: Self.ms(5_000), now: Self.ms(5_010))
        #expect(ledger.count == 2)
        #expect(ledger.check(slot: 1, status: 404, location: nil, sent: Self.ms(5_020), received: Self.ms(5_021)) == nil)
        #expect(ledger.check(slot: 1, status: 302, location: "https://example.com/b", sent: Self.ms(5_020), received: Self.ms(5_021)) == nil)
        #expect(ledger.check(slot: 1, status: 404, location: nil, sent: Self.ms(6_100), received: Self.ms(6_101)) != nil)
    }
}
