/// One evaluation of every readiness check, as `/readyz` answers it.
public struct ReadinessReport: Sendable {
    /// One check's name (the `/readyz` body key) and outcome.
    public struct Entry: Sendable, Hashable {
        /// The key, e.g. `writePath`.
        public var check: String
        /// What it found.
        public var outcome: ReadinessOutcome
    }

    /// The checks in the order they ran.
    public var entries: [Entry]
    /// When the evaluation began.
    public var checkedAt: ContinuousClock.Instant

    /// Whether every check passes.
    public var ready: Bool { entries.allSatisfy(\.outcome.passes) }

    /// The checks that fail.
    public var failures: [Entry] { entries.filter { !$0.outcome.passes } }

    /// The outcome of one check, if it ran.
    /// - Parameter check: its key.
    public func outcome(_ check: String) -> ReadinessOutcome? { entries.first { $0.check == check }?.outcome }

    /// The body: `status`, then each check's state under its name, then `failed` with
    /// each failing check and the reason (only when something fails).
    var json: JSONValue {
        var members = [JSONMember("status", .string(ready ? "ready" : "not_ready"))]
        members += entries.map { JSONMember($0.check, .string($0.outcome.state)) }
        let failures = self.failures
        if !failures.isEmpty {
            members.append(
                JSONMember(
                    "failed",
                    .array(
                        failures.map { .object([JSONMember("check", .string($0.check)), JSONMember("reason", .string($0.outcome.reason ?? ""))]) })))
        }
        return .object(members)
    }
}
