import AdminAPI
import Testing

/// The click-writer and journal-space decisions with injected inputs.
@Suite struct ReadinessRulesTests {
    @Test func clickWriter_isReadyUntilWritesFailLongerThanTheThreshold() {
        #expect(ReadinessRules.clickWriter(failingFor: nil, unhealthyAfter: .seconds(30)).passes)
        #expect(ReadinessRules.clickWriter(failingFor: .seconds(29), unhealthyAfter: .seconds(30)).passes)
        #expect(ReadinessRules.clickWriter(failingFor: .seconds(30), unhealthyAfter: .seconds(30)).passes)
        let failing = ReadinessRules.clickWriter(failingFor: .seconds(1020), unhealthyAfter: .seconds(30))
        #expect(!failing.passes)
        #expect(failing.state == "failing")
        #expect(failing.reason?.contains("failing for 1020 s") == true)
    }

    @Test func journalSpace_isNotReadyBelowTheMinimum_orWhenUnreadable() {
        let minimum: UInt64 = 64 << 20
        #expect(ReadinessRules.journalSpace(freeBytes: minimum, minimumFreeBytes: minimum, directory: "/spool").passes)
        #expect(ReadinessRules.journalSpace(freeBytes: 10 << 30, minimumFreeBytes: minimum, directory: "/spool").passes)
        let low = ReadinessRules.journalSpace(freeBytes: 12 << 20, minimumFreeBytes: minimum, directory: "/spool")
        #expect(low.state == "low")
        #expect(low.reason?.contains("/spool has 12 MiB free, less than the 64 MiB") == true)
        let unknown = ReadinessRules.journalSpace(freeBytes: nil, minimumFreeBytes: minimum, directory: "/spool")
        #expect(unknown.state == "unknown")
        #expect(!unknown.passes)
    }
}
