import Foundation
import ShortLinkTesting
import Testing

/// `Tests/SQL/schema_checks.sql`, the schema's behavioural checks written as pgTAP tests,
/// run by psql against a fresh migrated database of the suite's cluster.
@Suite(.teardown) struct SchemaChecksTests {
    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SQL/schema_checks.sql").path
    }

    @Test func schemaChecks_allPass() async throws {
        let cluster = try await TestPostgres.cluster()
        let db = try await cluster.makeDatabase()
        onTeardown { await db.drop() }
        let psql = URL(fileURLWithPath: try cluster.psqlPath)
        let run = try await ChildProcess.run(psql, ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-f", Self.script, db.url])
        #expect(run.status == 0, "psql stopped: \(run.stderr)")
        let report = TAPReport(parsing: run.stdout)
        #expect(report.failures.isEmpty, "failing schema checks:\n\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.planned != nil && report.planned == report.ran, "planned \(report.planned ?? 0) checks, ran \(report.ran)")
        #expect(report.malformed.isEmpty, "not TAP: \(report.malformed)")
        #expect(report.passed > 100, "the run should hold the whole file's checks")
    }
}

@Suite struct TAPReportTests {
    @Test func report_namesFailingTests_withTheirDiagnostics() {
        let report = TAPReport(
            parsing: """
                1..3
                ok 1 - first
                not ok 2 - tags are unique
                # Failed test 2: "tags are unique"
                #         have: 23505 tags_name_key
                #         want: 23505 tags_name_other
                ok 3 - third
                # Looks like you failed 1 test of 3
                """)
        #expect(report.planned == 3)
        #expect(report.passed == 2)
        #expect(
            report.failures == [
                .init(
                    number: 2, name: "tags are unique",
                    diagnostics: [
                        #"# Failed test 2: "tags are unique""#, "#         have: 23505 tags_name_key", "#         want: 23505 tags_name_other",
                    ])
            ])
        #expect(!report.isSuccess)
    }

    @Test func report_whenFewerTestsRanThanPlanned_isNoSuccess() {
        let report = TAPReport(parsing: "1..3\nok 1 - a\nok 2 - b\n")
        #expect(report.failures.isEmpty)
        #expect(report.ran == 2)
        #expect(!report.isSuccess)
    }

    @Test func report_withoutAPlan_orWithStrayLines_isNoSuccess() {
        #expect(!TAPReport(parsing: "ok 1 - a\n").isSuccess)
        let stray = TAPReport(parsing: "1..1\nERROR: boom\nok 1 - a\n")
        #expect(stray.malformed == ["ERROR: boom"])
        #expect(!stray.isSuccess)
        let skipped = TAPReport(parsing: "1..2\nok 1 - a\nok 3 - c\n")
        #expect(!skipped.isSuccess)
    }

    @Test func report_whenAllPlannedPass_isSuccess() {
        let report = TAPReport(parsing: "1..2\nok 1 - a\n\nok 2 - b\n")
        #expect(report.isSuccess)
        #expect(report.passed == 2)
    }
}
