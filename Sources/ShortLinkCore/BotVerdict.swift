/// Whether a click came from an automated client, and why.
///
/// `reason` is non-nil exactly when `isBot` is true: a short stable token such as
/// `method:head`, `preview:slack` or `crawler:googlebot`, stored with the click and never
/// recomputed at read time.
public struct BotVerdict: Sendable, Hashable {
    /// True when the click is attributed to a bot, a preview fetcher or a tool.
    public var isBot: Bool
    /// The first rule that matched (`category:name`); `nil` for people.
    public var reason: String?

    /// A person: not a bot, no reason.
    public static let human = BotVerdict(reason: nil)

    /// A verdict from a rule's reason token.
    /// - Parameter reason: the reason token; `nil` means a person.
    public init(reason: String?) {
        self.isBot = reason != nil
        self.reason = reason
    }

    /// A bot verdict.
    /// - Parameter reason: the reason token, e.g. `crawler:googlebot`.
    /// - Returns: a verdict with `isBot` true.
    public static func bot(_ reason: String) -> BotVerdict {
        BotVerdict(reason: reason)
    }
}
