import ArgumentParser
import BotDetection
import ShortLinkApp

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Bot verdict, device, OS and browser of user agents; or evaluate the rules on a corpus.",
        discussion: """
            With user agents as arguments, prints one line each: the verdict (human, or bot with its \
            reason), device type, OS, browser. With --eval DIR, reads bots.txt, humans.txt, \
            inapp_humans.txt and humans_labeled.jsonl from DIR and prints counts, rates and targets; \
            with --json the last line of stdout is the counts as one JSON object. Nothing touches the \
            database.
            """)

    @Option(name: .long, help: ArgumentHelp("Evaluate the rules on the corpus in this folder.", valueName: "dir"))
    var eval: String?

    @Flag(name: .long, help: "Machine-readable output: JSON (the last line of stdout with --eval).")
    var json = false

    @Option(name: .long, help: ArgumentHelp("Use the bot rules in this JSON file instead of the built-in ones.", valueName: "file"))
    var rules: String?

    @Argument(help: "User agents to classify.")
    var userAgents: [String] = []

    func validate() throws {
        guard eval != nil || !userAgents.isEmpty else {
            throw ValidationError("give user agents to classify, or --eval DIR")
        }
    }

    func run() throws {
        let operation = ClassifyOperation(rules: try rules.map(BotRulesFile.load(path:)) ?? .builtIn)
        if !userAgents.isEmpty { operation.describe(userAgents, json: json).forEach { print($0) } }
        guard let eval else { return }
        let corpus = try operation.loadCorpus(directory: eval)
        let evaluation = operation.evaluate(corpus)
        if json {
            print(evaluation.jsonLine)
            return
        }
        print("rules version \(operation.classifier.rulesVersion), corpus \(eval)")
        operation.report(evaluation).forEach { print($0) }
        let speed = operation.measureSpeed(corpus.humans)
        print(
            "speed over \(ClassifyOperation.CorpusFile.humans), this build: "
                + "\(hundredths(speed.uncached)) µs per user agent uncached (classify + parse), \(hundredths(speed.cached)) µs cached")
    }
}
