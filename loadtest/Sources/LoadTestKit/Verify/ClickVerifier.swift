import Foundation
public import LibPQ
import Logging

/// Counts a run's stored clicks in Postgres and compares them with what the run was answered.
public struct ClickVerifier: Sendable {
    /// Stored click figures.
    public struct Counts: Sendable, Equatable {
        public var rows: Int
        public var distinct: Int
        public var bots: Int
    }

    private let pool: PGPool

    /// - Parameter pool: a pool on the service's database.
    public init(pool: PGPool) { self.pool = pool }

    /// Opens a small pool on `url` (the caller shuts it down with ``shutdown()``).
    public init(databaseURL: String) {
        pool = PGPool(
            configuration: .init(url: databaseURL, maxConnections: 1, applicationName: "loadtest"), logger: Logger(label: "loadtest.verify"))
    }

    /// Closes the pool.
    public func shutdown() async { await pool.shutdown() }

    /// The filter that selects a run's clicks, and its one parameter (a code list is read
    /// once per call: callers that poll keep the result).
    static func filter(_ scope: RunReport.ClickScope) -> (String, String) {
        if let tag = scope.tag {
            return ("c.link_id IN (SELECT lt.link_id FROM link_tags lt JOIN tags t ON t.id = lt.tag_id WHERE t.name = $1)", tag)
        }
        let codes = (try? LinkSet.load(path: scope.codesFile ?? ""))?.codes ?? []
        return ("c.link_id IN (SELECT id FROM links WHERE short_code = ANY(string_to_array($1, ' ')))", codes.joined(separator: " "))
    }

    /// The clicks stored now for the scope (not minus any baseline).
    public func counts(_ scope: RunReport.ClickScope) async throws -> Counts {
        try await counts(Self.filter(scope))
    }

    private func counts(_ filter: (String, String)) async throws -> Counts {
        let (condition, parameter) = filter
        do {
            let rows = try await pool.query(
                "SELECT count(*)::bigint, count(DISTINCT c.id)::bigint, count(*) FILTER (WHERE c.is_bot)::bigint FROM clicks c WHERE \(condition)",
                [parameter])
            return Counts(
                rows: try rows[0].decode(0, as: Int.self), distinct: try rows[0].decode(1, as: Int.self), bots: try rows[0].decode(2, as: Int.self))
        } catch {
            throw LoadTestError(.database, "cannot count clicks in Postgres: \(error)")
        }
    }

    /// Stored clicks by bot reason (`human` for none).
    public func reasons(_ scope: RunReport.ClickScope) async throws -> [String: Int] {
        let (condition, parameter) = Self.filter(scope)
        let rows = try await pool.query(
            "SELECT coalesce(c.bot_reason, 'human'), count(*)::bigint FROM clicks c WHERE \(condition) GROUP BY 1", [parameter])
        var result: [String: Int] = [:]
        for row in rows { result[try row.decode(0, as: String.self)] = try row.decode(1, as: Int.self) }
        return result
    }

    /// The user agents stored with another verdict than they were sent with: bot user agents
    /// stored as people, and people's user agents stored as bots for a user-agent reason
    /// (HEAD and prefetch verdicts do not depend on the user agent).
    public func misclassified(_ scope: RunReport.ClickScope, botAgents: Set<String>, humanAgents: Set<String>) async throws -> [VerifyResult
        .Misclassified]
    {
        let (condition, parameter) = Self.filter(scope)
        var found: [VerifyResult.Misclassified] = []
        let asHumans = try await pool.query(
            "SELECT coalesce(c.user_agent, ''), count(*)::bigint FROM clicks c WHERE \(condition) AND NOT c.is_bot GROUP BY 1", [parameter])
        for row in asHumans {
            let agent = try row.decode(0, as: String.self)
            if botAgents.contains(agent) {
                found.append(.init(userAgent: agent, sentAs: "bot", storedAs: "human", clicks: try row.decode(1, as: Int.self)))
            }
        }
        let asBots = try await pool.query(
            "SELECT coalesce(c.user_agent, ''), c.bot_reason, count(*)::bigint FROM clicks c WHERE \(condition) AND c.is_bot"
                + " AND c.bot_reason NOT LIKE 'method:%' AND c.bot_reason NOT LIKE 'prefetch:%' GROUP BY 1, 2", [parameter])
        for row in asBots {
            let agent = try row.decode(0, as: String.self)
            if humanAgents.contains(agent), !botAgents.contains(agent) {
                found.append(
                    .init(userAgent: agent, sentAs: "human", storedAs: try row.decode(1, as: String.self), clicks: try row.decode(2, as: Int.self)))
            }
        }
        return Array(found.sorted { $0.clicks > $1.clicks }.prefix(10))
    }

    /// Waits for the pipeline to store the run's clicks, then compares.
    ///
    /// Polls every 200 ms until the distinct count reaches `expected` (then reads once more
    /// after `settle`, to catch late duplicates), or until the count has not moved for
    /// `quiet` (the pipeline is done), or `timeout` has passed.
    /// - Parameters:
    ///   - scope: which clicks.
    ///   - redirects: what was answered (every phase).
    ///   - unanswered: requests that got no answer.
    ///   - timeout: the longest wait (default 60 s).
    ///   - quiet: no change for this long ends the wait early (default 5 s).
    ///   - settle: the extra read after the count is reached (default 0.5 s).
    public func verify(
        scope: RunReport.ClickScope, redirects: RunReport.Redirects, unanswered: Int,
        timeout: Duration = .seconds(60), quiet: Duration = .seconds(5), settle: Duration = .milliseconds(500),
        botAgents: Set<String> = [], humanAgents: Set<String> = []
    ) async throws -> VerifyResult {
        let clock = ContinuousClock()
        let start = clock.now
        let baseline = Counts(rows: scope.baselineRows ?? 0, distinct: scope.baselineDistinct ?? 0, bots: scope.baselineBots ?? 0)
        let filter = Self.filter(scope)
        var last = try await counts(filter)
        var lastChange = clock.now
        while clock.now - start < timeout {
            if last.distinct - baseline.distinct >= redirects.total {
                try await Task.sleep(for: settle)
                last = try await counts(filter)
                break
            }
            if clock.now - lastChange >= quiet { break }
            try await Task.sleep(for: .milliseconds(200))
            let now = try await counts(filter)
            if now != last {
                last = now
                lastChange = clock.now
            }
        }
        let waited = clock.now - start
        let stored = last.rows - baseline.rows
        let distinct = last.distinct - baseline.distinct
        let bots = last.bots - baseline.bots
        var reasons = (try? await self.reasons(scope)) ?? [:]
        if scope.tag == nil { reasons = [:] }  // a code list's reasons include clicks from before the run
        var result = VerifyResult(
            expected: redirects.total, stored: stored, distinct: distinct, lost: max(0, redirects.total - distinct),
            duplicates: stored - distinct, extra: max(0, distinct - redirects.total), unanswered: unanswered,
            expectedBots: redirects.bots, storedBots: bots, expectedHumans: redirects.humans, storedHumans: stored - bots,
            reasons: reasons,
            waitedSeconds: Double(waited.components.seconds) + Double(waited.components.attoseconds) / 1e18,
            problems: VerifyResult.problems(
                expected: redirects.total, stored: stored, distinct: distinct, unanswered: unanswered,
                expectedBots: redirects.bots, storedBots: bots),
            passed: false)
        result.passed = result.problems.isEmpty
        if distinct == redirects.total, bots != redirects.bots, !(botAgents.isEmpty && humanAgents.isEmpty) {
            result.misclassified = (try? await misclassified(scope, botAgents: botAgents, humanAgents: humanAgents)) ?? []
        }
        return result
    }
}
