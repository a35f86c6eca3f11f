/// The result of one readiness check: a short state for the `/readyz` body (`ok`,
/// `failing`, `low`…) and, when the check fails, a sentence for the operator.
public struct ReadinessOutcome: Sendable, Hashable {
    /// The check's state as `/readyz` shows it.
    public var state: String
    /// Why the check fails, in words an operator understands; `nil` when it passes.
    public var reason: String?

    /// Creates an outcome.
    /// - Parameters:
    ///   - state: the short state.
    ///   - reason: why it fails; default `nil` (it passes).
    public init(state: String, reason: String? = nil) {
        self.state = state
        self.reason = reason
    }

    /// Whether the check passes.
    public var passes: Bool { reason == nil }

    /// A passing outcome.
    /// - Parameter state: default `ok`.
    public static func ok(_ state: String = "ok") -> ReadinessOutcome { ReadinessOutcome(state: state) }

    /// A failing outcome.
    /// - Parameters:
    ///   - state: the short state, e.g. `failing`.
    ///   - reason: why, for the operator.
    public static func failing(_ state: String, _ reason: String) -> ReadinessOutcome {
        ReadinessOutcome(state: state, reason: reason)
    }
}
