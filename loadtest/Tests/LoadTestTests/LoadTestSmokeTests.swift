import Foundation
import LibPQ
import ShortLinkTesting
import Testing

@testable import LoadTestKit

/// The real `loadtest` executable against a real edge, click pipeline, admin API and
/// Postgres: a few seconds at a low rate.
@Suite struct LoadTestSmokeTests {
    @Test func mixedRun_atLowRate_reportsItsFiguresAndVerifiesEveryClick() async throws {
        try await ServiceUnderLoad.with { service in
            let json = LoadTestBinary.temporaryReport()
            let result = try await LoadTestBinary.run(
                [
                    "mixed", "--rate", "150", "--duration", "2s", "--warmup", "500ms", "--connections", "4", "--links", "40",
                    "--client-addresses", "50", "--verify", "--verify-timeout", "30s", "--json", json,
                ] + service.targetArguments,
                token: service.token)
            #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
            let report = try ReportFile.read(json)
            #expect(report.scenario == "mixed")
            #expect(report.mode == "open")
            #expect(report.rate == 150)
            #expect(report.links == 40)
            #expect(report.requests > 100)
            #expect(report.requestsPerSecond > 0)
            #expect((report.statusCounts["302"] ?? 0) > 0)
            #expect((report.statusCounts["404"] ?? 0) > 0, "the mix asks for codes that do not exist")
            #expect(report.errors.total == 0)
            #expect(report.latencyMs.p50 > 0)
            #expect(report.latencyMs.p50 <= report.latencyMs.p99)
            #expect(report.latencyMs.p99 <= report.latencyMs.max)
            #expect(report.sent.head > 0 && report.sent.prefetch > 0 && report.sent.bots > 0)
            #expect(report.scope.tag == "loadtest-\(report.runId)")
            let verify = try #require(report.verify)
            #expect(verify.passed, "\(verify.problems)")
            #expect(verify.expected == report.redirects.total)
            #expect(verify.expected > report.requests / 2)
            #expect(verify.stored == verify.expected && verify.distinct == verify.expected)
            #expect(verify.storedBots == report.redirects.bots && report.redirects.bots > 0)
            #expect(verify.storedHumans == report.redirects.humans && report.redirects.humans > 0)
            #expect((verify.reasons["method:head"] ?? 0) > 0)
            #expect((verify.reasons["prefetch:sec-purpose"] ?? 0) > 0)
            #expect(result.stdout.contains("verify                PASSED"))
            // Client addresses came through the trusted proxy's X-Forwarded-For.
            let addresses = try await service.db.pool.query(
                "SELECT count(DISTINCT ip_address)::bigint FROM clicks WHERE ip_address <> '127.0.0.1'::inet")
            #expect(try addresses[0].decode(0, as: Int.self) > 5)
            try? FileManager.default.removeItem(atPath: json)
        }
    }

    @Test func verify_whenClicksAreDeletedBehindItsBack_failsAndSaysHowManyAreLost() async throws {
        try await ServiceUnderLoad.with { service in
            let json = LoadTestBinary.temporaryReport()
            let run = try await LoadTestBinary.run(
                [
                    "redirect", "--rate", "100", "--duration", "1s", "--warmup", "0s", "--connections", "2", "--links", "10",
                    "--verify", "--json", json,
                ] + service.targetArguments,
                token: service.token)
            #expect(run.status == 0, "stdout: \(run.stdout)\nstderr: \(run.stderr)")
            let report = try ReportFile.read(json)
            #expect(report.verify?.passed == true)
            #expect(report.redirects.total >= 3, "stdout: \(run.stdout)")
            #expect(report.redirects.probes == 1, "the setup waited for the edge with one probe redirect")
            #expect(run.stdout.contains("setup probes 1"))
            // Three of the run's clicks, picked first and then deleted by id, so that a
            // failure says which step found fewer rows than the run reported.
            let picked = try await service.db.pool.query(
                "SELECT c.id::text FROM clicks c JOIN links l ON l.id = c.link_id WHERE l.short_code LIKE 'lt%' ORDER BY c.id LIMIT 3")
            let stored = try await service.db.pool.query("SELECT count(*)::bigint FROM clicks")[0].decode(0, as: Int.self)
            #expect(picked.count == 3, "\(stored) clicks stored for \(report.redirects.total) redirects")
            let ids = try picked.map { try $0.decode(0, as: String.self) }.joined(separator: ",")
            let deleted = try await service.db.pool.execute(
                "DELETE FROM clicks WHERE id = ANY(string_to_array($1, ',')::uuid[])", [ids])
            #expect(deleted == picked.count, "deleted \(deleted) of \(ids)")
            let again = try await LoadTestBinary.run(
                ["verify", json, "--timeout", "1s", "--database-url", service.db.url], token: service.token)
            #expect(again.status == 1, "stdout: \(again.stdout)\nstderr: \(again.stderr)")
            #expect(again.stdout.contains("FAILED"))
            #expect(again.stdout.contains("lost 3 of \(report.redirects.total) clicks"))
            try? FileManager.default.removeItem(atPath: json)
        }
    }

    @Test func edgeReadiness_givesUpOnACodeTheEdgeNeverServes_andNamesIt() async throws {
        try await ServiceUnderLoad.with { service in
            let base = try #require(BaseURL("http://127.0.0.1:\(service.edgePort)"))
            let error = await #expect(throws: LoadTestError.self) {
                _ = try await EdgeReadiness.waitUntilServed(code: "never-created", base: base, timeout: .milliseconds(300))
            }
            #expect(error?.code == .setup)
            #expect(error?.message.contains("never-created") == true)
            #expect(error?.message.contains("HTTP 404") == true)
        }
    }
}
