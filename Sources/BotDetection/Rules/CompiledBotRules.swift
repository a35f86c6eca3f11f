/// ``BotRules`` turned into one ``PatternMatcher`` and the lookups that give a user agent
/// its reason token.
///
/// Rule patterns are numbered in evaluation order (category, then family, then pattern), so
/// "first match wins" is "lowest rule number found". Human markers, neutral tokens and
/// platform tokens are patterns of the same matcher, found in the same pass.
struct CompiledBotRules: Sendable {
    /// What a matcher pattern stands for.
    private enum Kind: Sendable {
        /// A family pattern; `suppressible` for library and keyword families.
        case rule(order: Int32, suppressible: Bool)
        case humanMarker
        case neutral
        case platform
    }

    private static let compatibleMarker = Array("compatible;".utf8)

    private let matcher: PatternMatcher
    private let kinds: [Kind]
    /// Reason token per rule number.
    private let reasons: [String]
    private let compatibleClients: [[UInt8]]
    private let checksPlatform: Bool

    /// The version of the rules compiled.
    let version: Int

    /// Compiles rules.
    /// - Parameter rules: the rules.
    init(_ rules: BotRules) {
        var entries: [(pattern: TokenPattern, role: PatternMatcher.Role)] = []
        var kinds: [Kind] = []
        var reasons: [String] = []
        let categories: [(name: String, families: [BotRuleFamily], suppressible: Bool)] = [
            ("preview", rules.preview, false), ("headless", rules.headless, false),
            ("library", rules.library, true), ("crawler", rules.crawler, false), ("keyword", rules.keyword, true),
        ]
        for category in categories {
            for family in category.families {
                let order = Int32(reasons.count)
                reasons.append("\(category.name):\(family.name)")
                for pattern in family.patterns {
                    entries.append((TokenPattern(pattern), category.suppressible ? .maskable : .plain))
                    kinds.append(.rule(order: order, suppressible: category.suppressible))
                }
            }
        }
        for marker in rules.humanMarkers {
            entries.append((TokenPattern(marker), .plain))
            kinds.append(.humanMarker)
        }
        for token in rules.neutralTokens {
            entries.append((TokenPattern(token), .neutral))
            kinds.append(.neutral)
        }
        for token in rules.platformTokens {
            entries.append((TokenPattern(token), .plain))
            kinds.append(.platform)
        }
        self.matcher = PatternMatcher(entries)
        self.kinds = kinds
        self.reasons = reasons
        self.compatibleClients = rules.compatibleClients.map { Array($0.utf8).map(ASCII.lowercased) }
        self.checksPlatform = !rules.platformTokens.isEmpty
        self.version = rules.version
    }

    /// The reason token for a user agent, or `nil` for a person.
    /// - Parameter text: the trimmed, lowercased user agent (not empty).
    func reason(for text: UnsafeBufferPointer<UInt8>) -> String? {
        var firstRule = Int32.max
        var firstUnsuppressible = Int32.max
        var human = false
        var platform = false
        matcher.forEachMatch(in: text, masked: DeviceSegments.ranges(in: text)) { index in
            switch kinds[index] {
            case .rule(let order, let suppressible):
                firstRule = min(firstRule, order)
                if !suppressible { firstUnsuppressible = min(firstUnsuppressible, order) }
            case .humanMarker:
                human = true
            case .neutral:
                break
            case .platform:
                platform = true
            }
        }
        if human {
            return firstUnsuppressible == .max ? nil : reasons[Int(firstUnsuppressible)]
        }
        if firstRule != .max { return reasons[Int(firstRule)] }
        if !compatibleClients.isEmpty, namesUnknownCompatibleClient(text) { return "keyword:compatible" }
        if checksPlatform, !platform { return "keyword:no-platform" }
        return nil
    }

    /// Whether a `compatible;` comment is followed by something that is not a known browser.
    private func namesUnknownCompatibleClient(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var searchFrom = 0
        while let marker = ByteSearch.find(Self.compatibleMarker, in: text, from: searchFrom) {
            var index = marker + Self.compatibleMarker.count
            while index < text.count, text[index] == UInt8(ascii: " ") { index += 1 }
            if !compatibleClients.contains(where: { ByteSearch.hasPrefix($0, in: text, at: index) }) { return true }
            searchFrom = index
        }
        return false
    }
}
