public import ArgumentParser
import Foundation
public import LoadTestKit

/// The options every scenario shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Where redirects go (http only).")
    var baseURL = "http://127.0.0.1:8080"

    @Option(help: "The admin API that creates the run's links (token in SHORTLINKS_ADMIN_TOKEN).")
    var adminURL = "http://127.0.0.1:8081"

    @Option(help: "Keep-alive connections.")
    var connections = 64

    @Option(help: "Event-loop threads of the harness.")
    var threads = 1

    @Option(help: "Open loop: requests per second in total, latency counted from each request's intended send time. Without it: closed loop.")
    var rate: Double?

    @Option(help: "Measured time, e.g. 5s, 500ms, 1m (default 5s unless --requests is given).")
    var duration: String?

    @Option(help: "Measured requests in total (instead of --duration).")
    var requests: Int?

    @Option(help: "Warm-up before measuring (answered redirects still count as clicks for --verify).")
    var warmup = "1s"

    @Option(help: "A request without an answer after this long is an error.")
    var timeout = "10s"

    @Option(help: "Links to create through the admin API (default 1000; churn 100).")
    var links: Int?

    @Option(help: "A code list instead of creating links: lines `CODE URL` (as ../shared/anchors/gen_codes.py writes).")
    var codes: String?

    @Flag(
        help:
            "With --codes: create the list's links through the admin API first (codes that exist are kept), e.g. to load nginx's codes into shortlinks."
    )
    var createLinks = false

    @Option(help: "How codes are drawn: zipf or uniform.")
    var distribution: Distribution = .zipf

    @Option(help: "The Zipf exponent s.")
    var zipfExponent = 1.0

    @Option(help: "Seed for the request choices.")
    var seed: UInt64 = 1

    @Option(help: "Run id (default: time and random letters); the links' tag is loadtest-<run id>.")
    var runId: String?

    @Flag(help: "After the run, wait for the click pipeline and check Postgres: stored clicks = answered redirects, bots and humans as sent.")
    var verify = false

    @Option(help: "Database for --verify (default: DATABASE_URL, else `shortlinks db url`).")
    var databaseURL: String?

    @Option(help: "Longest wait for the pipeline to store the clicks.")
    var verifyTimeout = "60s"

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    mutating func validate() throws {
        guard BaseURL(baseURL) != nil else { throw ValidationError("--base-url must be an http://host[:port][/prefix] URL, not \(baseURL)") }
        guard BaseURL(adminURL) != nil else { throw ValidationError("--admin-url must be an http://host[:port] URL, not \(adminURL)") }
        guard connections > 0, connections <= 10000 else { throw ValidationError("--connections must be 1…10000") }
        guard threads > 0, threads <= 64 else { throw ValidationError("--threads must be 1…64") }
        if let rate { guard rate > 0, rate <= 10_000_000 else { throw ValidationError("--rate must be a positive number of requests per second") } }
        if let duration {
            guard let ns = DurationText.nanoseconds(duration), ns > 0 else {
                throw ValidationError("bad --duration \(duration): use e.g. 5s, 500ms, 2m")
            }
        }
        if let requests { guard requests > 0 else { throw ValidationError("--requests must be positive") } }
        guard !createLinks || codes != nil else { throw ValidationError("--create-links goes with --codes FILE") }
        guard duration == nil || requests == nil else { throw ValidationError("give --duration or --requests, not both") }
        guard DurationText.nanoseconds(warmup) != nil else { throw ValidationError("bad --warmup \(warmup): use e.g. 1s, 0s") }
        guard let timeoutNs = DurationText.nanoseconds(timeout), timeoutNs > 0 else { throw ValidationError("bad --timeout \(timeout)") }
        guard DurationText.nanoseconds(verifyTimeout) != nil else { throw ValidationError("bad --verify-timeout \(verifyTimeout)") }
        if let links { guard links > 0, links <= 1_000_000 else { throw ValidationError("--links must be 1…1000000") } }
        guard zipfExponent > 0 else { throw ValidationError("--zipf-exponent must be positive") }
        if let runId {
            guard !runId.isEmpty, runId.count <= 40, runId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw ValidationError("--run-id: letters, digits and '-', at most 40")
            }
        }
    }

    func options(scenario: LoadTest.Scenario) -> LoadTest.Options {
        var drive = DriveSettings(base: BaseURL(baseURL)!)
        drive.connections = connections
        drive.threads = threads
        drive.rate = rate
        if let requests {
            drive.requests = requests
            drive.duration = nil
        } else {
            drive.duration = DurationText.nanoseconds(duration ?? "5s")
        }
        drive.warmup = DurationText.nanoseconds(warmup)!
        drive.timeout = DurationText.nanoseconds(timeout)!
        drive.seed = seed
        var options = LoadTest.Options(scenario: scenario, drive: drive)
        options.links = links ?? (scenario == .churn ? 100 : 1000)
        options.distribution = distribution
        options.zipfExponent = zipfExponent
        options.codesFile = codes
        options.createLinks = createLinks
        options.adminURL = adminURL
        options.adminToken = ProcessInfo.processInfo.environment["SHORTLINKS_ADMIN_TOKEN"]
        options.runID = runId
        options.verify = verify
        options.databaseURL = databaseURL
        options.verifyTimeout = .nanoseconds(Int64(DurationText.nanoseconds(verifyTimeout)!))
        return options
    }

    /// Runs the scenario, prints the table, writes the JSON, and exits with the status.
    func execute(_ options: LoadTest.Options) async throws {
        let report: RunReport
        do {
            report = try await LoadTest(options: options, log: { printError($0) }).run()
        } catch let error as LoadTestError {
            printError(error.message)
            throw ExitCode(ExitStatus.cannotRun)
        }
        print(report.table)
        if let json {
            do { try ReportFile.write(report, to: json) } catch {
                printError("cannot write \(json): \(error)")
                throw ExitCode(ExitStatus.cannotRun)
            }
        }
        if let verify = report.verify, !verify.passed { throw ExitCode(ExitStatus.verifyFailed) }
        if let coherence = report.coherence, coherence.violations > 0 { throw ExitCode(ExitStatus.coherenceViolations) }
    }
}

extension Distribution: ExpressibleByArgument {}
