/// A contiguous run of lexicon patterns that the parser tests together ("any of these").
struct TokenGroup: Sendable {
    let range: Range<Int>
}

/// Collects the words the parser's detectors look for, so that one ``PatternMatcher``
/// pass over a user agent answers every "does it contain …" question afterwards.
struct TokenLexicon {
    private(set) var patterns: [TokenPattern] = []

    /// Registers patterns (``TokenPattern`` syntax) and returns their group.
    /// - Parameter tokens: the patterns.
    mutating func group(_ tokens: [String]) -> TokenGroup {
        let start = patterns.count
        patterns.append(contentsOf: tokens.map(TokenPattern.init))
        return TokenGroup(range: start..<patterns.count)
    }

    /// Registers patterns and returns their group.
    /// - Parameter tokens: the patterns.
    mutating func group(_ tokens: String...) -> TokenGroup {
        group(tokens)
    }

    /// The matcher for every registered pattern.
    func matcher() -> PatternMatcher {
        PatternMatcher(patterns.map { ($0, .plain) })
    }
}
