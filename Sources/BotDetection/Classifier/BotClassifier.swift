public import ShortLinkCore

/// Decides whether a click came from a bot, and why.
///
/// Checks, in this order, the first match winning:
/// 1. `method:head` — a HEAD request;
/// 2. `prefetch:<header>` — `Sec-Purpose`, `Purpose`, `X-Purpose` or `X-Moz` (in that
///    order) containing `prefetch` or `preview`;
/// 3. `ua:empty` — no or blank `User-Agent`;
/// 4. the user-agent rules of ``BotRules`` (`preview:`, `headless:`, `library:`,
///    `crawler:`, `keyword:`);
/// 5. `ip:<list>` — the client address lies in one of the named CIDR lists (lists tried in
///    name order).
///
/// The user-agent part is cached per user-agent string (bounded); the other checks are cheap
/// and depend on the request, so they are never cached. Thread-safe.
public final class BotClassifier: Sendable {
    private static let prefetchWords = [Array("prefetch".utf8), Array("preview".utf8)]

    private let rules: CompiledBotRules
    private let ipLists: [(name: String, blocks: [CIDR])]
    private let cache: ShardedCache<String?>

    /// The version of the rules in use.
    public var rulesVersion: Int { rules.version }

    /// Creates a classifier.
    /// - Parameters:
    ///   - rules: the user-agent rules, e.g. ``BotRules/builtIn``.
    ///   - ipLists: named address lists (say `datacenter`, `monitoring`); a client in one of
    ///     them is a bot with reason `ip:<name>`. Default none.
    ///   - cacheCapacity: the most user agents whose verdict is kept; default 65,536.
    public init(rules: BotRules, ipLists: [String: [CIDR]] = [:], cacheCapacity: Int = 65_536) {
        self.rules = CompiledBotRules(rules)
        self.ipLists = ipLists.sorted { $0.key < $1.key }.map { (name: $0.key, blocks: $0.value) }
        self.cache = ShardedCache(capacity: cacheCapacity)
    }

    /// The verdict for one request.
    /// - Parameter request: the method, headers and client address of the click.
    /// - Returns: ``BotVerdict/human`` or a bot verdict with its reason.
    public func classify(_ request: ClassificationInput) -> BotVerdict {
        if request.method == .head { return .bot("method:head") }
        if let header = prefetchHeader(request) { return .bot("prefetch:\(header)") }
        if let reason = userAgentReason(request.userAgent) { return .bot(reason) }
        if let address = request.clientIP {
            for list in ipLists where list.blocks.contains(where: { $0.contains(address) }) {
                return .bot("ip:\(list.name)")
            }
        }
        return .human
    }

    /// The reason the user agent alone gives (`ua:empty`, `crawler:googlebot`, …), or `nil`
    /// when it looks like a person's browser. Cached per user-agent string.
    /// - Parameter userAgent: the `User-Agent` header, `nil` when absent.
    public func userAgentReason(_ userAgent: String?) -> String? {
        guard let userAgent else { return "ua:empty" }
        return cache.value(for: userAgent) { uncachedReason(userAgent) }
    }

    /// The user-agent reason computed without the cache (for measurements and tests).
    /// - Parameter userAgent: the `User-Agent` header.
    public func uncachedReason(_ userAgent: String) -> String? {
        let text = ASCII.trimmedLowercase(userAgent)
        if text.isEmpty { return "ua:empty" }
        return text.withUnsafeBufferPointer { rules.reason(for: $0) }
    }

    private func prefetchHeader(_ request: ClassificationInput) -> String? {
        let headers: [(name: String, value: String?)] = [
            ("sec-purpose", request.secPurpose), ("purpose", request.purpose),
            ("x-purpose", request.xPurpose), ("x-moz", request.xMoz),
        ]
        for header in headers {
            guard let value = header.value else { continue }
            let text = ASCII.trimmedLowercase(value)
            let found = text.withUnsafeBufferPointer { text in
                Self.prefetchWords.contains { ByteSearch.find($0, in: text) != nil }
            }
            if found { return header.name }
        }
        return nil
    }
}
