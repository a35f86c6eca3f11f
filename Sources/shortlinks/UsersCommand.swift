import ArgumentParser
import ShortLinkApp

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Manage staff users (migrating the database first).",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff user.")

        @Option(help: "Login e-mail (unique, case-insensitive).")
        var email: String

        @Option(help: "Display name.")
        var name: String

        func run() async throws {
            let context = try await CommandContext.make(label: "users")
            let lines = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await StaffOperations(pool: pool).createUser(email: email, name: name)
            }
            lines.forEach { print($0) }
        }
    }
}
