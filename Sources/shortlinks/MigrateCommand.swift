import ArgumentParser
import ShortLinkApp

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations (Migrations/NNNN_name.sql), each in its own transaction.",
        discussion: "Running it again is a no-op. An applied migration whose file was edited is refused.")

    @Flag(name: .long, help: "List applied and pending migrations instead of applying them.")
    var status = false

    func run() async throws {
        let context = try await CommandContext.make(label: "migrate")
        let operations = Operations(bootstrap: context.bootstrap)
        if status {
            try await operations.migrationStatus().lines.forEach { print($0) }
        } else {
            try await operations.migrate().forEach { print($0) }
        }
    }
}
