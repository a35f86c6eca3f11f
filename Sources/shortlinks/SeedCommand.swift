import ArgumentParser
import ShortLinkApp

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load data into the database (migrating it first).")

    @Flag(name: .long, help: "Load the demo data: a staff user, two clients with campaigns, and tagged links. Idempotent.")
    var demo = false

    func validate() throws {
        guard demo else { throw ValidationError("nothing to seed: pass --demo") }
    }

    func run() async throws {
        let context = try await CommandContext.make(label: "seed")
        try await Operations(bootstrap: context.bootstrap).seedDemo().forEach { print($0) }
    }
}
