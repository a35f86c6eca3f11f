import ArgumentParser

/// The `shortlinks` command: every operator entry point of the service.
@main
struct Shortlinks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shortlinks",
        abstract: "Short-link redirect and click-tracking service.",
        discussion: """
            With no DATABASE_URL, commands use the embedded Postgres cluster in .data/postgres \
            under the current directory (started on demand).
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, DatabaseCommand.self, SeedCommand.self, UsersCommand.self,
            TokensCommand.self, LinksCommand.self, ClassifyCommand.self, RollupsCommand.self, ExportCommand.self,
            BackupCommand.self, RestoreCommand.self, MeasureEnrichmentCommand.self,
        ]
    )
}
