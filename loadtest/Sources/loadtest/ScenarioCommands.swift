import ArgumentParser
import Foundation
import LoadTestKit

struct RedirectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redirect", abstract: "GET the run's links (Zipf or uniform) as a browser would.")

    @OptionGroup var common: CommonOptions

    func run() async throws { try await common.execute(common.options(scenario: .redirect)) }
}

struct MixedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mixed",
        abstract: "Hits and misses, HEAD, prefetches, bot and human user agents, many client addresses via X-Forwarded-For.",
        discussion: "The edge reads X-Forwarded-For only when SHORTLINKS_TRUSTED_PROXIES covers the harness's address (127.0.0.1).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Share of requests for codes that do not exist (404).")
    var missRatio = 0.1
    @Option(help: "Share of HEAD requests (bots).")
    var headRatio = 0.05
    @Option(help: "Share of GETs with Sec-Purpose: prefetch (bots).")
    var prefetchRatio = 0.05
    @Option(help: "Share of requests with a bot user agent.")
    var botRatio = 0.2
    @Option(help: "Bot user agents, one a line (e.g. ../shared/ua-corpus/bots.txt); default a few well-known bots.")
    var botUas: String?
    @Option(help: "Human user agents, one a line (e.g. ../shared/ua-corpus/humans.txt); default a few browsers.")
    var humanUas: String?
    @Option(help: "Distinct client addresses sent in X-Forwarded-For (0: no header).")
    var clientAddresses = 1000

    func validate() throws {
        for (name, value) in [
            ("--miss-ratio", missRatio), ("--head-ratio", headRatio), ("--prefetch-ratio", prefetchRatio), ("--bot-ratio", botRatio),
        ] {
            guard (0...1).contains(value) else { throw ValidationError("\(name) must be between 0 and 1") }
        }
        guard clientAddresses >= 0 else { throw ValidationError("--client-addresses must be ≥ 0") }
    }

    func run() async throws {
        var options = common.options(scenario: .mixed)
        options.mix.misses = missRatio
        options.mix.head = headRatio
        options.mix.prefetch = prefetchRatio
        options.mix.botAgents = botRatio
        options.mix.clientAddresses = clientAddresses
        do {
            if let botUas { options.mix.botAgentList = try UserAgents.load(path: botUas) }
            if let humanUas { options.mix.humanAgents = try UserAgents.load(path: humanUas) }
        } catch let error as LoadTestError {
            printError(error.message)
            throw ExitCode(ExitStatus.cannotRun)
        }
        try await common.execute(options)
    }
}

struct ChurnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "churn",
        abstract:
            "Redirects while the admin API creates and changes links; every answer must match the link's current target within the coherence window.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Admin changes per second (creates and target changes).")
    var changesPerSecond = 20.0
    @Option(help: "Share of changes that create a new link.")
    var createShare = 0.2
    @Option(help: "How long an answer may show a target that was just replaced.")
    var coherenceWindow = "1s"

    func validate() throws {
        guard changesPerSecond > 0, changesPerSecond <= 1000 else { throw ValidationError("--changes-per-second must be 0…1000") }
        guard (0...1).contains(createShare) else { throw ValidationError("--create-share must be between 0 and 1") }
        guard DurationText.nanoseconds(coherenceWindow) != nil else { throw ValidationError("bad --coherence-window \(coherenceWindow)") }
        guard common.codes == nil else { throw ValidationError("churn creates its links through the admin API; --codes cannot be used") }
    }

    func run() async throws {
        var options = common.options(scenario: .churn)
        options.churnRate = changesPerSecond
        options.churnCreateShare = createShare
        options.coherenceWindow = DurationText.nanoseconds(coherenceWindow)!
        try await common.execute(options)
    }
}

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a finished run again from its JSON report: stored clicks against answered redirects.")

    @Argument(help: "A report written with --json.")
    var report: String

    @Option(help: "Database (default: DATABASE_URL, else `shortlinks db url`).")
    var databaseURL: String?

    @Option(help: "Longest wait for the pipeline to store the clicks.")
    var timeout = "10s"

    @Option(help: "Write the report with the new verification to this file.")
    var json: String?

    func validate() throws {
        guard DurationText.nanoseconds(timeout) != nil else { throw ValidationError("bad --timeout \(timeout)") }
    }

    func run() async throws {
        do {
            var loaded = try ReportFile.read(report)
            let verifier = ClickVerifier(databaseURL: try DatabaseURLResolver.resolve(flag: databaseURL))
            let wait = Duration.nanoseconds(Int64(DurationText.nanoseconds(timeout)!))
            let result: VerifyResult
            do {
                result = try await verifier.verify(
                    scope: loaded.scope, redirects: loaded.redirects, unanswered: loaded.unanswered,
                    timeout: wait, quiet: min(wait, .seconds(5)))
                await verifier.shutdown()
            } catch {
                await verifier.shutdown()
                throw error
            }
            loaded.verify = result
            print("run \(loaded.runId) (\(loaded.scenario), \(loaded.target))")
            print(result.table)
            if let json { try ReportFile.write(loaded, to: json) }
            if !result.passed { throw ExitCode(ExitStatus.verifyFailed) }
        } catch let error as LoadTestError {
            printError(error.message)
            throw ExitCode(ExitStatus.cannotRun)
        }
    }
}
