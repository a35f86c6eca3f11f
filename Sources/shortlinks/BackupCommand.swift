import ArgumentParser
import ShortLinkApp

/// `shortlinks backup -o FILE`: the whole database as a `pg_dump` custom-format archive.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (DATABASE_URL or the embedded cluster) into a pg_dump custom-format file.",
        discussion: """
            The archive holds everything: users, tokens, clients, campaigns, links, tags, clicks, rollups and \
            the migration history. It is written to FILE.partial and renamed when complete. \
            Needs pg_dump (postgresql-client) of at least the server's major version.
            """)

    @Option(name: [.short, .customLong("output")], help: "The archive to write (replaced once the new one is complete).")
    var output: String

    func run() async throws {
        let context = try await CommandContext.make(label: "backup")
        let lines = try await BackupOperation.withDatabase(context.bootstrap) { try await $0.backup(to: output) }
        lines.forEach { print($0) }
    }
}

/// `shortlinks restore FILE [--force]`: loads an archive made by `shortlinks backup`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the database (DATABASE_URL or the embedded cluster); refuses a database that holds data unless --force.",
        discussion: """
            The restore runs in one transaction: if it fails, the database is left as it was. Stop `shortlinks serve` \
            first (or restart it afterwards) so the link caches reload.
            """)

    @Argument(help: "The archive (from shortlinks backup).")
    var file: String

    @Flag(help: "Restore even though the database already holds users, clients, links or tags: the archive's contents replace them.")
    var force = false

    func run() async throws {
        let context = try await CommandContext.make(label: "restore")
        let lines = try await BackupOperation.withDatabase(context.bootstrap) { try await $0.restore(from: file, force: force) }
        lines.forEach { print($0) }
    }
}
