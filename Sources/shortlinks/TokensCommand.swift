import ArgumentParser
import ShortLinkApp

struct TokensCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens",
        abstract: "Manage admin API tokens (migrating the database first).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for a user; the token is the last word of the last line of stdout, shown only once.")

        @Option(help: "The user's e-mail.")
        var email: String

        @Option(help: "A label for the token.")
        var name: String = "cli"

        @Option(help: "Expire the token after this long: 3600 (seconds), 90m, 12h, 30d, 8w (1 minute to 10 years).")
        var expiresIn: String?

        @Option(help: "Expire the token at this RFC 3339 time, e.g. 2026-12-31T23:59:59Z.")
        var expiresAt: String?

        @Flag(help: "Allow only GET and HEAD requests with the token (reports, exports, lists).")
        var readOnly = false

        func validate() throws {
            if expiresIn != nil && expiresAt != nil {
                throw ValidationError("give --expires-in or --expires-at, not both")
            }
        }

        func run() async throws {
            let context = try await CommandContext.make(label: "tokens")
            let lines = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await StaffOperations(pool: pool).createToken(
                    email: email, name: name, expiresIn: expiresIn, expiresAt: expiresAt, readOnly: readOnly)
            }
            lines.forEach { print($0) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's tokens (id, prefix, state, scope, name, times; never the secret).")

        @Option(help: "The user's e-mail.")
        var email: String

        func run() async throws {
            let context = try await CommandContext.make(label: "tokens")
            let lines = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await StaffOperations(pool: pool).listTokens(email: email)
            }
            lines.forEach { print($0) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by id (from `tokens list`).")

        @Argument(help: "The token id.")
        var id: String

        func run() async throws {
            let context = try await CommandContext.make(label: "tokens")
            let lines = try await Operations(bootstrap: context.bootstrap).withMigratedPool { pool in
                try await StaffOperations(pool: pool).revokeToken(id: id)
            }
            lines.forEach { print($0) }
        }
    }
}
