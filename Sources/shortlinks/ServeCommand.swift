public import ArgumentParser
import ShortLinkApp

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run the service: the redirect edge (SHORTLINKS_EDGE_ADDR, default 0.0.0.0:8080) and the admin API (SHORTLINKS_ADMIN_ADDR, default 127.0.0.1:8081).",
        discussion: """
            Applies pending migrations first. With no DATABASE_URL the embedded cluster in \
            .data/postgres is started. SIGTERM or SIGINT stops accepting, lets open connections \
            finish, and exits 0.
            """)

    @Option(help: "Which listeners to run: \(ServeRole.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: ServeRole = .all

    func run() async throws {
        let context = try await CommandContext.make(label: "serve")
        try await ServeOperation(bootstrap: context.bootstrap, logger: context.logger).run(role: role)
    }
}

extension ServeRole: ExpressibleByArgument {}
