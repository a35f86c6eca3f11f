import ArgumentParser
import ShortLinkApp

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load data into the database (migrating it first).")

    @Flag(name: .long, help: "Load the demo data: a staff user, two clients with campaigns, and tagged links. Idempotent.")
    var demo = false

    @Option(help: "Benchmark data: this many synthetic clicks (COPY), rolled up afterwards.")
    var clicks: Int?

    @Option(help: "With --clicks: links to spread them over (Zipf), a client per 100 and a campaign per 10.")
    var links = 10_000

    @Option(help: "With --clicks: days of history, ending now.")
    var days = 90

    func validate() throws {
        guard demo || clicks != nil else { throw ValidationError("nothing to seed: pass --demo or --clicks N") }
        if let clicks, clicks < 0 { throw ValidationError("--clicks must not be negative") }
        guard links > 0, links <= 10_000_000 else { throw ValidationError("--links must be from 1 to 10000000") }
        guard days > 0, days <= 3650 else { throw ValidationError("--days must be from 1 to 3650") }
    }

    func run() async throws {
        let context = try await CommandContext.make(label: "seed")
        let operations = Operations(bootstrap: context.bootstrap)
        if demo { try await operations.seedDemo().forEach { print($0) } }
        guard let clicks else { return }
        let plan = ClickSeeder.Plan(clicks: clicks, links: links, days: days)
        let lines = try await operations.withMigratedPool { pool in
            try await ClickSeeder(pool: pool).seed(plan) { writeLineToStandardError($0, rewrite: true) }
        }
        writeLineToStandardError("")
        lines.forEach { print($0) }
    }
}
