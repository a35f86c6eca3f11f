import Foundation
import NIOCore

/// A whole run: set up links, drive the load (and the churn), gather the report, verify.
public struct LoadTest: Sendable {
    /// The scenarios.
    public enum Scenario: String, Sendable, CaseIterable {
        case redirect, mixed, churn
    }

    /// Everything a run needs; the command line fills it in.
    public struct Options: Sendable {
        /// Which scenario.
        public var scenario: Scenario
        /// Connections, pacing and length.
        public var drive: DriveSettings
        /// Links to create (default 1000; the command line uses 100 for churn).
        public var links = 1000
        /// How codes are drawn (default Zipf).
        public var distribution: Distribution = .zipf
        /// The Zipf exponent (default 1).
        public var zipfExponent = 1.0
        /// A code list instead of creating links.
        public var codesFile: String?
        /// With a code list: create its links through the admin API first (existing codes are kept).
        public var createLinks = false
        /// The admin listener (default `http://127.0.0.1:8081`).
        public var adminURL = "http://127.0.0.1:8081"
        /// The admin API token (`SHORTLINKS_ADMIN_TOKEN`).
        public var adminToken: String?
        /// The run id (default: time and random letters).
        public var runID: String?
        /// The mixed scenario's proportions and user agents.
        public var mix = MixedScenario.Mix()
        /// Churn: admin changes per second (default 20).
        public var churnRate = 20.0
        /// Churn: share of changes that create a link (default 0.2).
        public var churnCreateShare = 0.2
        /// Churn: the coherence window in ns (default 1 s).
        public var coherenceWindow: UInt64 = 1_000_000_000
        /// Check the stored clicks after the run.
        public var verify = false
        /// The database for `verify` (default: `DATABASE_URL`, else `shortlinks db url`).
        public var databaseURL: String?
        /// The longest wait for the pipeline (default 60 s).
        public var verifyTimeout: Duration = .seconds(60)
        /// No change in the counts for this long ends the wait (default 5 s).
        public var verifyQuiet: Duration = .seconds(5)

        /// - Parameters:
        ///   - scenario: which scenario.
        ///   - drive: connections, pacing and length.
        public init(scenario: Scenario, drive: DriveSettings) {
            self.scenario = scenario
            self.drive = drive
        }
    }

    /// The run's settings.
    public let options: Options
    /// Progress lines (to stderr in the command).
    public let log: @Sendable (String) -> Void

    /// - Parameters:
    ///   - options: the run.
    ///   - log: where progress lines go.
    public init(options: Options, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.log = log
    }

    /// Runs it. The report's `verify` is set when `options.verify` is.
    public func run() async throws -> RunReport {
        let runID = options.runID ?? LinkSet.makeRunID()
        let encoder = RequestEncoder(base: options.drive.base)
        var admin: AdminClient?
        if let token = options.adminToken, !token.isEmpty { admin = AdminClient(baseURL: options.adminURL, token: token) }
        // Links.
        let links: LinkSet
        var scope = RunReport.ClickScope()
        var createdLinks = false
        if let codesFile = options.codesFile {
            guard options.scenario != .churn else {
                throw LoadTestError(.badInput, "churn creates and changes links through the admin API; --codes cannot be used")
            }
            links = try LinkSet.load(path: codesFile)
            scope.codesFile = codesFile
            log("loaded \(links.codes.count) codes from \(codesFile)")
            if options.createLinks {
                guard let admin else { throw LoadTestError(.badInput, "--create-links needs SHORTLINKS_ADMIN_TOKEN (an admin API token)") }
                let created = try await links.createMissing(runID: runID, admin: admin)
                log("created \(created) links through \(options.adminURL); \(links.codes.count - created) existed already")
                createdLinks = created > 0
            }
        } else {
            guard let admin else {
                throw LoadTestError(
                    .badInput, "set SHORTLINKS_ADMIN_TOKEN (an admin API token) so the harness can create its links, or pass --codes FILE")
            }
            log("creating \(options.links) links through \(options.adminURL) (tag \(LinkSet.tag(runID: runID)))")
            links = try await LinkSet.create(count: options.links, runID: runID, admin: admin)
            scope.tag = LinkSet.tag(runID: runID)
            createdLinks = true
        }
        // Verification needs the database before the run (a code list's clicks so far).
        var verifier: ClickVerifier?
        if options.verify {
            let url = try DatabaseURLResolver.resolve(flag: options.databaseURL)
            verifier = ClickVerifier(databaseURL: url)
            if scope.tag == nil {
                let before = try await verifier!.counts(scope)
                scope.baselineRows = before.rows
                scope.baselineDistinct = before.distinct
                scope.baselineBots = before.bots
            }
        }
        // New links reach the edge's cache through its change feed; wait until it serves
        // them (after the baseline above, so that the probe's click is one the run expects).
        var probeRedirects = 0
        if createdLinks, let last = links.codes.last {
            probeRedirects = try await EdgeReadiness.waitUntilServed(code: last, base: options.drive.base)
            log("the edge serves the new links (\(probeRedirects) probe redirect, counted as a click)")
        }
        // Requests.
        let source: any RequestSource
        var ledger: ChurnLedger?
        switch options.scenario {
        case .redirect:
            source = RedirectScenario.source(links: links, encoder: encoder, distribution: options.distribution, exponent: options.zipfExponent)
        case .mixed:
            source = MixedScenario.source(
                links: links, encoder: encoder, mix: options.mix, distribution: options.distribution,
                exponent: options.zipfExponent, seed: options.drive.seed)
        case .churn:
            let churnLedger = ChurnLedger(links: links, window: options.coherenceWindow)
            ledger = churnLedger
            source = ChurnSource(ledger: churnLedger, encoder: encoder)
        }
        log(
            "running \(options.scenario.rawValue) against \(options.drive.base) (\(options.drive.rate.map { "open loop, \($0) req/s" } ?? "closed loop"), \(options.drive.connections) connections)"
        )
        do {
            let report = try await drive(
                runID: runID, links: links, source: source, ledger: ledger, admin: admin, scope: scope, probeRedirects: probeRedirects,
                verifier: verifier)
            await verifier?.shutdown()
            return report
        } catch {
            await verifier?.shutdown()
            throw error
        }
    }

    /// The drive settings, with progress lines going to the log unless the caller set a receiver.
    private var driveSettings: DriveSettings {
        var settings = options.drive
        if settings.progress == nil { settings.progress = log }
        return settings
    }

    private func drive(
        runID: String, links: LinkSet, source: any RequestSource, ledger: ChurnLedger?, admin: AdminClient?,
        scope: RunReport.ClickScope, probeRedirects: Int, verifier: ClickVerifier?
    ) async throws -> RunReport {
        let outcome: LoadDriver.Outcome
        var churn: ChurnMutator.Outcome?
        if let ledger, let admin, let clientID = links.clientID {
            let mutator = ChurnMutator(
                ledger: ledger, admin: admin, clientID: clientID, runID: runID, rate: options.churnRate,
                createShare: options.churnCreateShare)
            // The churn stops a window before the redirects do, so the last changes are checked too.
            let length = options.drive.warmup + (options.drive.duration ?? 10_000_000_000)
            let end = NIODeadline.now().uptimeNanoseconds + 100_000_000 + length - min(length, options.coherenceWindow)
            let seed = options.drive.seed
            async let changes = mutator.run(until: end, seed: seed)
            outcome = try await LoadDriver.run(driveSettings, source: source)
            churn = await changes
        } else {
            outcome = try await LoadDriver.run(driveSettings, source: source)
        }
        var report = makeReport(runID: runID, links: links, outcome: outcome, scope: scope)
        report.redirects.total += probeRedirects
        report.redirects.humans += probeRedirects
        report.redirects.probes = probeRedirects
        if let churn, let ledger {
            report.coherence = RunReport.Coherence(
                windowMs: Double(ledger.window) / 1e6, checked: outcome.tally.coherenceChecked,
                violations: outcome.tally.coherenceViolations, samples: outcome.tally.violationSamples,
                linksCreated: churn.created, linksUpdated: churn.updated, adminFailures: churn.failures)
        }
        if let verifier {
            log("verifying: waiting for \(report.redirects.total) clicks in Postgres")
            report.verify = try await verifier.verify(
                scope: scope, redirects: report.redirects, unanswered: report.unanswered,
                timeout: options.verifyTimeout, quiet: options.verifyQuiet,
                botAgents: options.scenario == .mixed ? Set(options.mix.botAgentList) : [],
                humanAgents: options.scenario == .mixed ? Set(options.mix.humanAgents) : [UserAgents.chrome])
        }
        return report
    }

    private func makeReport(runID: String, links: LinkSet, outcome: LoadDriver.Outcome, scope: RunReport.ClickScope) -> RunReport {
        let tally = outcome.tally
        let drive = options.drive
        var statuses: [String: Int] = [:]
        for (status, count) in tally.statuses.enumerated() where count > 0 { statuses[String(status)] = count }
        let seconds = Double(outcome.measuredNanoseconds) / 1e9
        return RunReport(
            scenario: options.scenario.rawValue, runId: runID, target: drive.base.description,
            mode: drive.rate == nil ? "closed" : "open", rate: drive.rate, connections: drive.connections, threads: drive.threads,
            links: links.codes.count, distribution: options.scenario == .churn ? "uniform" : options.distribution.rawValue,
            warmupSeconds: Double(drive.warmup) / 1e9, durationSeconds: seconds, requests: tally.measured,
            requestsPerSecond: seconds > 0 ? (Double(tally.measured) / seconds * 10).rounded() / 10 : 0,
            statusCounts: statuses,
            errors: .init(
                connect: tally.connectErrors, timeout: tally.timeouts, closed: tally.closedErrors, protocol: tally.protocolErrors,
                unsent: tally.unsent),
            latencyMs: RunReport.percentiles(tally.latency), serviceTimeMs: RunReport.percentiles(tally.serviceTime),
            sent: .init(
                total: tally.sent, warmupAnswered: tally.warmup, head: tally.sentHead, prefetch: tally.sentPrefetch, misses: tally.sentMisses,
                bots: tally.sentBots),
            redirects: .init(total: tally.redirectsBots + tally.redirectsHumans, bots: tally.redirectsBots, humans: tally.redirectsHumans),
            unanswered: tally.unanswered, scope: scope, coherence: nil, verify: nil)
    }
}
