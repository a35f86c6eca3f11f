import ArgumentParser
import ShortLinkApp

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (Migrations/NNNN_name.sql), each in its own transaction.",
        discussion: """
            Running it again is a no-op. An applied migration whose file was edited is refused. \
            With --status, the exit status is 0 when every file matches what was applied (pending \
            migrations are listed: `migrate` applies them), and 2 when an applied migration's file \
            was edited (MODIFIED) or is missing (UNKNOWN); stderr says which file and what to do.
            """)

    @Flag(name: .long, help: "List applied and pending migrations instead of applying them.")
    var status = false

    func run() async throws {
        let context = try await CommandContext.make(label: "migrate")
        let operations = Operations(bootstrap: context.bootstrap)
        if status {
            let report = try await operations.migrationStatus()
            report.lines.forEach { print($0) }
            for problem in report.problems { writeLineToStandardError("error: " + problem) }
            // A scripted deploy checks this status: an edited or missing file means the schema
            // may not be what the code expects, and `migrate` would refuse to run.
            if !report.problems.isEmpty { throw ExitCode(2) }
            if report.pending > 0 { writeLineToStandardError("\(report.pending) pending: run `shortlinks migrate` to apply them") }
        } else {
            try await operations.migrate().forEach { print($0) }
        }
    }
}
