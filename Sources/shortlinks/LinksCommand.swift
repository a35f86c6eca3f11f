import ArgumentParser
import ShortLinkApp

#if canImport(Glibc)
    import Glibc
#endif

struct LinksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "links",
        abstract: "Bulk operations on links (migrating the database first).",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create links from a CSV file, 1,000 rows per transaction, with a progress line on stderr.",
            discussion: """
                Header (any order): originalUrl, shortCode (empty: generated), client (name) or clientId, \
                campaign (name) or campaignId, tags (separated by |), redirectStatus, forwardQuery, expiresAt. \
                Rows that break a rule are listed with their line number and do not stop the others; \
                the exit status is 1 when any row failed.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: "The e-mail of the staff user who owns the links (default: the only user, if there is one).")
        var email: String?

        func run() async throws {
            let context = try await CommandContext.make(label: "links")
            let configuration = context.configuration.admin
            let summary = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await LinkImportOperation(pool: pool, configuration: configuration).run(path: file, ownerEmail: email) {
                    done, total, created in
                    // What was stored so far, in the words of the final line: a row read is not
                    // a row imported.
                    writeToStandardError("\rread \(done)/\(total) rows: \(created) imported, \(done - created) refused")
                }
            }
            if summary.rows > 0 { writeToStandardError("\n") }
            summary.failures.forEach { print($0) }
            print("\(summary.created) of \(summary.rows) rows imported, \(summary.failures.count) refused")
            if !summary.failures.isEmpty { throw ExitCode(1) }
        }
    }
}

/// Writes unbuffered to stderr (the progress line rewrites itself with `\r`).
private func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
