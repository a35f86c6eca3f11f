import ArgumentParser
import ShortLinkApp

#if canImport(Glibc)
    import Glibc
#endif

struct RollupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollups",
        abstract: "Maintain the metrics rollups (migrating the database first).",
        subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the rollups of whole UTC days from raw clicks, one day per transaction.",
            discussion: """
                Uses the same SQL as the click writer, so the numbers match the live path. Days before the \
                oldest raw click are left alone: retention may have dropped their raw partitions, and their \
                rollups are all that remains. Click writers wait while a day is being rebuilt.
                """)

        @Option(help: ArgumentHelp("First UTC day, e.g. 2026-09-01 (default: the day of the oldest raw click).", valueName: "date"))
        var from: String?

        @Option(help: ArgumentHelp("Last UTC day, inclusive (default: today).", valueName: "date"))
        var to: String?

        func run() async throws {
            let first = try from.map { try ReportOperations.day($0, option: "--from") }
            let last = try to.map { try ReportOperations.day($0, option: "--to") }
            let context = try await CommandContext.make(label: "rollups")
            let summary = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await ReportOperations(pool: pool).rebuildRollups(from: first, to: last) { line in
                    writeLineToStandardError(line)
                }
            }
            print(summary)
        }
    }
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a CSV report of clicks or a per-link daily summary (progress on stderr).",
        discussion: """
            clicks: one row per click, oldest first (id, timestamp in ISO 8601 UTC, link, bot verdict, \
            place, device, referrer, address, user agent). summary: one row per link and UTC day from the \
            rollups (clicks, human clicks, bot clicks, unique visitors, top country). Bots are left out \
            unless --include-bots. RFC 4180 quoting, with a header row. --link, --campaign, --client and \
            --tag may be repeated: the values of one option are OR'ed, different options AND'ed. Text \
            cells that start with =, +, -, @, a tab or a carriage return get a ' in front so that a \
            spreadsheet does not run them as formulas, unless --raw.
            """)

    @Argument(help: ArgumentHelp("clicks or summary.", valueName: "report"))
    var report: String

    @Option(help: "Only this link (id or short code); repeatable.")
    var link: [String] = []
    @Option(help: "Only links of this campaign (id, or name: of the --client given, else of the one client that has it); repeatable.")
    var campaign: [String] = []
    @Option(help: "Only links of this client (id or name); repeatable.")
    var client: [String] = []
    @Option(help: "Only links with this tag (id or name); repeatable.")
    var tag: [String] = []
    // Arrays so that a second --from is refused rather than silently replacing the first.
    @Option(help: ArgumentHelp("From this time (RFC 3339 or a date such as 2026-11-01).", valueName: "from"))
    var from: [String] = []
    @Option(help: ArgumentHelp("Before this time (RFC 3339 or a date; default: now).", valueName: "to"))
    var to: [String] = []
    @Flag(name: .long, help: "Include bot clicks.")
    var includeBots = false
    @Flag(name: .long, help: "Leave cells that start like a spreadsheet formula as they are.")
    var raw = false
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of stdout.", valueName: "file"))
    var output: [String] = []

    func validate() throws {
        guard ReportOperations.Report(rawValue: report) != nil else {
            throw ValidationError("report must be clicks or summary, not \(report)")
        }
        for (values, option) in [(from, "--from"), (to, "--to"), (output, "--output")] where values.count > 1 {
            throw ValidationError("\(option) may be given only once")
        }
    }

    func run() async throws {
        let kind = ReportOperations.Report(rawValue: report)!
        let text = ReportOperations.FilterText(
            links: link, campaigns: campaign, clients: client, tags: tag, from: from.first, to: to.first,
            includeBots: includeBots)
        let context = try await CommandContext.make(label: "export")
        let output = output.first
        let raw = raw
        let result = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
            let operations = ReportOperations(pool: pool)
            let filter = try await operations.filter(text)
            return try await operations.export(kind, filter: filter, to: output, raw: raw) { rows, bytes in
                writeLineToStandardError("\(rows) rows, \(bytes / 1_048_576) MiB", rewrite: true)
            }
        }
        writeLineToStandardError("exported \(result.rows) rows (\(result.bytes) bytes)" + (output.map { " to \($0)" } ?? ""))
    }
}

/// A line on stderr; `rewrite` keeps the cursor on the line so the next one replaces it.
func writeLineToStandardError(_ line: String, rewrite: Bool = false) {
    var text = rewrite ? "\r" + line : "\r" + line + "\n"
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
