/// What `--verify` found in Postgres, against what the run was answered.
public struct VerifyResult: Codable, Sendable, Equatable {
    /// Redirects answered (3xx, every phase): the clicks that must be stored.
    public var expected: Int
    /// Click rows stored for the run's links.
    public var stored: Int
    /// Distinct click ids among them.
    public var distinct: Int
    /// Clicks answered but not stored.
    public var lost: Int
    /// Rows beyond the distinct ids (the same click stored twice).
    public var duplicates: Int
    /// Distinct clicks beyond those answered; allowed up to `unanswered` (a request whose
    /// click was captured but whose answer the harness never read).
    public var extra: Int
    /// Requests that never got an answer.
    public var unanswered: Int
    /// Redirects answered to requests sent as bots.
    public var expectedBots: Int
    /// Stored clicks with `is_bot`.
    public var storedBots: Int
    /// Redirects answered to requests sent as humans.
    public var expectedHumans: Int
    /// Stored clicks without `is_bot`.
    public var storedHumans: Int
    /// Stored clicks by `bot_reason` (`"human"` for none).
    public var reasons: [String: Int]
    /// When bots and humans do not match: the user agents the service classified otherwise
    /// than the harness sent them (most frequent first, at most 10).
    public var misclassified: [Misclassified] = []
    /// How long it waited for the pipeline to flush, seconds.
    public var waitedSeconds: Double
    /// Why it failed (empty when it passed).
    public var problems: [String]

    /// A user agent stored with another verdict than the one it was sent with.
    public struct Misclassified: Codable, Sendable, Equatable {
        /// The user agent.
        public var userAgent: String
        /// `bot` or `human`, as the harness sent it.
        public var sentAs: String
        /// The stored `bot_reason`, or `human`.
        public var storedAs: String
        /// How many of the run's clicks it had.
        public var clicks: Int
    }

    /// Nothing lost, nothing doubled, bots and humans as sent (no problems).
    public var passed: Bool

    /// Compares the counts and lists every difference.
    static func problems(
        expected: Int, stored: Int, distinct: Int, unanswered: Int, expectedBots: Int, storedBots: Int
    ) -> [String] {
        var problems: [String] = []
        if distinct < expected { problems.append("lost \(expected - distinct) of \(expected) clicks") }
        if stored > distinct { problems.append("\(stored - distinct) duplicate click rows") }
        if distinct > expected + unanswered {
            problems.append("\(distinct - expected) clicks stored beyond the \(expected) answered (\(unanswered) unanswered)")
        }
        if distinct == expected, storedBots != expectedBots {
            problems.append(
                "bots: stored \(storedBots), sent \(expectedBots); humans: stored \(stored - storedBots), sent \(expected - expectedBots)")
        }
        return problems
    }
}
