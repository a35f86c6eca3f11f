/// A named family of clients and the patterns that recognise it, e.g. `slack` with
/// `slackbot` and `slack-imgproxy`. The family's name becomes the second half of the reason
/// token (`preview:slack`).
///
/// Patterns are lowercase substrings with optional anchors (see ``BotRules``).
public struct BotRuleFamily: Sendable, Hashable, Codable {
    /// Short lowercase token used in the reason, e.g. `googlebot`.
    public var name: String
    /// Patterns; any one matching puts the user agent in this family.
    public var patterns: [String]

    /// Creates a family.
    /// - Parameters:
    ///   - name: the reason token's name part.
    ///   - patterns: the family's patterns.
    public init(name: String, patterns: [String]) {
        self.name = name
        self.patterns = patterns
    }
}
