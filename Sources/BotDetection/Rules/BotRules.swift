/// The data behind the classifier: which user agents are bots and which are people.
///
/// Loaded from `Config/bot-rules.json` or taken from ``builtIn`` (the same rules, kept equal
/// by a test). Bump ``version`` whenever a list changes so stored reasons can be traced to
/// the rules that produced them.
///
/// **Patterns** are matched against the lowercased user agent as substrings, with optional
/// anchors: a leading `^` (at the start), `<` (not preceded by a letter or digit) or `~`
/// (preceded by a letter or digit); a trailing `>` (not followed by a letter, digit or `.`)
/// or `$` (at the end). So `bot>` finds `googlebot/2.1` and `adbeat_bot` but not `botech`,
/// and `~.com>` finds `example.com/` but not `.compatible`.
///
/// **Order**: families are tried category by category — ``preview``, ``headless``,
/// ``library``, ``crawler``, ``keyword`` — and in list order within one; the first match
/// wins. After the keyword families come two structural checks: a `compatible;` comment
/// naming none of ``compatibleClients`` (`keyword:compatible`) and a user agent naming none
/// of ``platformTokens`` (`keyword:no-platform`).
///
/// **People**: a user agent containing one of ``humanMarkers`` (in-app browsers) is never
/// flagged by library, keyword or structural rules. Library and keyword patterns also skip
/// text inside device descriptions (the Android device segment, the HbbTV device group, a
/// `Model/` value) and inside ``neutralTokens``, because vendors name devices freely
/// (`CUBOT`, `M bot 51`).
public struct BotRules: Sendable, Hashable, Codable {
    /// Increases with every change to the lists.
    public var version: Int
    /// Link-preview fetchers of chat and social apps (`preview:<app>`).
    public var preview: [BotRuleFamily]
    /// Headless and automated browsers (`headless:<name>`).
    public var headless: [BotRuleFamily]
    /// HTTP libraries and command-line tools (`library:<name>`).
    public var library: [BotRuleFamily]
    /// Named crawlers, search engines, AI agents, monitors (`crawler:<name>`).
    public var crawler: [BotRuleFamily]
    /// Generic words that only automated clients use (`keyword:<word>`).
    public var keyword: [BotRuleFamily]
    /// In-app browser markers: user agents with one of these are people for the library,
    /// keyword and structural rules.
    public var humanMarkers: [String]
    /// Device names that contain keyword text; keyword and library matches inside them are ignored.
    public var neutralTokens: [String]
    /// Words that name a real platform, device or browser engine; a user agent with none of
    /// them is not a browser (`keyword:no-platform`).
    public var platformTokens: [String]
    /// What may follow `compatible;` in a browser's comment (`MSIE`, `Konqueror`, …);
    /// anything else there is a bot naming itself (`keyword:compatible`).
    public var compatibleClients: [String]

    /// Creates rules.
    /// - Parameters:
    ///   - version: the rules' version.
    ///   - preview: link-preview families.
    ///   - headless: headless-browser families.
    ///   - library: HTTP-library families.
    ///   - crawler: named-crawler families.
    ///   - keyword: generic-word families.
    ///   - humanMarkers: in-app browser markers; default none.
    ///   - neutralTokens: device names to ignore; default none.
    ///   - platformTokens: platform words; default none (the structural check is then off).
    ///   - compatibleClients: allowed `compatible;` names; default none (the check is then off).
    public init(
        version: Int, preview: [BotRuleFamily], headless: [BotRuleFamily], library: [BotRuleFamily],
        crawler: [BotRuleFamily], keyword: [BotRuleFamily], humanMarkers: [String] = [],
        neutralTokens: [String] = [], platformTokens: [String] = [], compatibleClients: [String] = []
    ) {
        self.version = version
        self.preview = preview
        self.headless = headless
        self.library = library
        self.crawler = crawler
        self.keyword = keyword
        self.humanMarkers = humanMarkers
        self.neutralTokens = neutralTokens
        self.platformTokens = platformTokens
        self.compatibleClients = compatibleClients
    }
}
