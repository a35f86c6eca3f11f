import Foundation
import ShortLinkTesting
import Testing

@testable import LoadTestKit

/// The churn scenario against the real service: links created and changed through the admin
/// API while redirects run; every answer must match within the 1 s coherence window. It
/// checks a latency, so scripts/test runs it in the second ("timed") pass.
@Suite struct LoadTestChurnTests {
    @Test func churnRun_changesLinksWhileRedirecting_withoutCoherenceViolationsOrLostClicks() async throws {
        try await ServiceUnderLoad.with { service in
            let json = LoadTestBinary.temporaryReport()
            let result = try await LoadTestBinary.run(
                [
                    "churn", "--rate", "200", "--duration", "3s", "--warmup", "0s", "--connections", "4", "--links", "20",
                    "--changes-per-second", "10", "--verify", "--verify-timeout", "30s", "--json", json,
                ] + service.targetArguments,
                token: service.token)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
            let report = try ReportFile.read(json)
            let coherence = try #require(report.coherence)
            #expect(coherence.violations == 0, "\(coherence.samples)")
            #expect(coherence.checked == report.sent.total)
            #expect(coherence.linksUpdated > 5)
            #expect(coherence.adminFailures == 0)
            #expect(report.verify?.passed == true, "\(report.verify?.problems ?? [])")
            try? FileManager.default.removeItem(atPath: json)
        }
    }
}
