import Foundation
import Testing

@testable import ClickPipeline

@Suite struct WriteYieldingTests {
    private let policy = WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 30)

    @Test func contendedCPUs_holdTheWriteBack_untilTheOldestClickHasWaitedTheLongest() {
        #expect(policy.shouldDefer(pressure: 0.2, oldestWaiting: .seconds(1), stopping: false))
        #expect(policy.shouldDefer(pressure: 0.9, oldestWaiting: .milliseconds(29_999), stopping: false))
        #expect(!policy.shouldDefer(pressure: 0.9, oldestWaiting: .seconds(30), stopping: false))
        #expect(!policy.shouldDefer(pressure: 0.9, oldestWaiting: .seconds(300), stopping: false))
    }

    @Test func idleCPUs_aShutdown_nothingWaiting_noInformation_orYieldingOff_writeAtOnce() {
        #expect(!policy.shouldDefer(pressure: 0.19, oldestWaiting: .seconds(1), stopping: false))
        #expect(!policy.shouldDefer(pressure: 0.9, oldestWaiting: .seconds(1), stopping: true))
        #expect(!policy.shouldDefer(pressure: 0.9, oldestWaiting: nil, stopping: false))
        #expect(!policy.shouldDefer(pressure: nil, oldestWaiting: .seconds(1), stopping: false))
        #expect(!WriteYielding.never.shouldDefer(pressure: 1, oldestWaiting: .seconds(1), stopping: false))
        let noDeferral = WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 0)
        #expect(!noDeferral.shouldDefer(pressure: 1, oldestWaiting: .zero, stopping: false))
    }

    @Test func theSomeLinesTotal_isRead_andAnythingElseIsNot() {
        let psi = "some avg10=1.50 avg60=2.89 avg300=10.02 total=102995780\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
        #expect(CPUPressure.someTotal(in: Array(psi.utf8)) == 102_995_780)
        #expect(CPUPressure.someTotal(in: Array("full avg10=0.00 total=7\n".utf8)) == nil)
        #expect(CPUPressure.someTotal(in: Array("some avg10=0.00 total=\n".utf8)) == nil)
        #expect(CPUPressure.someTotal(in: Array("some avg10=0.00 total=12x\n".utf8)) == nil)
        #expect(CPUPressure.someTotal(in: Array("some avg10=0.00\n".utf8)) == nil)
        #expect(CPUPressure.someTotal(in: Array("".utf8)) == nil)
    }

    @Test func theShare_isStalledTimeOverWallTime_betweenSamplesAtLeastAWindowApart() throws {
        let path = NSTemporaryDirectory() + "psi-\(UUID().uuidString)"
        defer { unlink(path) }
        func write(total: UInt64) throws {
            try "some avg10=0.00 avg60=0.00 avg300=0.00 total=\(total)\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
        var pressure = CPUPressure(path: path, window: .milliseconds(100))
        let start = ContinuousClock.now
        try write(total: 1_000_000)
        #expect(pressure.share(now: start) == nil)  // the first sample has nothing to compare with
        try write(total: 1_150_000)  // 150 ms stalled in 500 ms
        #expect(pressure.share(now: start + .milliseconds(500)) == 0.3)
        try write(total: 9_000_000)
        // Closer than the window to the last sample: the previous share, the file is not read.
        #expect(pressure.share(now: start + .milliseconds(550)) == 0.3)
        // More stall than wall time (the file and the clock are not read at one instant): 1.
        #expect(pressure.share(now: start + .milliseconds(1_500)) == 1)
        #expect(pressure.share(now: start + .milliseconds(2_500)) == 0)
        #expect(pressure.isAvailable)

        var missing = CPUPressure(path: path + "-missing")
        #expect(missing.share() == nil)
        #expect(!missing.isAvailable)
    }
}
