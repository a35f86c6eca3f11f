import ArgumentParser
import ShortLinkApp

struct MeasureEnrichmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure-enrichment",
        abstract: "Time the click writer's in-process work per click, stage by stage (a benchmark; use a release build).",
        discussion: """
            Builds clicks from the corpus's user agents (88 % people, 12 % bots), random IPv4 addresses and \
            a few referrers, then times each stage the writer runs on a click (bot verdict, user-agent parse, \
            GeoIP, visitor hash, anonymising), the writer's whole enrich call, the COPY encoding and the \
            in-memory rollup groups (adding batches; a cycle taking and encoding them), and prints \
            microseconds per click. Nothing touches the database. scripts/bench-enrichment runs it.
            """)

    @Option(name: .long, help: ArgumentHelp("The user-agent corpus (bots.txt, humans.txt, …).", valueName: "dir"))
    var corpus: String

    @Option(name: .long, help: ArgumentHelp("The GeoIP database to look addresses up in; none: GeoIP off.", valueName: "file"))
    var geoip: String?

    @Option(name: .long, help: "Clicks to time each stage over.")
    var clicks = 500_000

    func validate() throws {
        guard clicks > 0 else { throw ValidationError("--clicks must be at least 1") }
    }

    func run() throws {
        let corpus = try ClassifyOperation().loadCorpus(directory: self.corpus)
        guard !corpus.humans.isEmpty else { throw ValidationError("\(self.corpus) has no people's user agents (humans.txt)") }
        let stages = try EnrichmentCost(geoIPDatabase: geoip).measure(humans: corpus.humans, bots: corpus.bots, clicks: clicks)
        print("in-process cost per click over \(clicks) clicks, GeoIP \(geoip ?? "off"):")
        for stage in stages {
            let name = stage.name + String(repeating: " ", count: max(0, 46 - stage.name.count))
            print("  \(name) \(hundredths(stage.microsecondsPerClick)) µs")
        }
    }
}
