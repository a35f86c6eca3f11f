import NIOCore

/// `mixed`: what real traffic looks like — hits and misses, HEAD checks, prefetches, bots
/// and people, many client addresses (through `X-Forwarded-For`, which the edge reads only
/// when `SHORTLINKS_TRUSTED_PROXIES` covers the harness's address).
public enum MixedScenario {
    /// The proportions of each kind of request.
    public struct Mix: Sendable {
        /// Requests for codes that do not exist (404; no click). Default 0.1.
        public var misses = 0.1
        /// HEAD requests (bots: `method:head`). Default 0.05.
        public var head = 0.05
        /// GETs with `Sec-Purpose: prefetch` (bots: `prefetch:sec-purpose`). Default 0.05.
        public var prefetch = 0.05
        /// Requests with a bot user agent. Default 0.2.
        public var botAgents = 0.2
        /// Distinct client addresses sent in `X-Forwarded-For` (0: none). Default 1000.
        public var clientAddresses = 1000
        /// People's user agents.
        public var humanAgents = UserAgents.defaultHumans
        /// Bots' user agents.
        public var botAgentList = UserAgents.defaultBots
        /// Prepared requests to draw from (default 16,384).
        public var deckSize = 16384

        /// Defaults throughout.
        public init() {}
    }

    /// A shuffled deck of prepared requests in the mix's proportions.
    /// - Parameters:
    ///   - links: the codes.
    ///   - encoder: the target.
    ///   - mix: the proportions.
    ///   - distribution: how hits choose their code.
    ///   - exponent: the Zipf exponent.
    ///   - seed: makes the deck repeatable.
    public static func source(
        links: LinkSet, encoder: RequestEncoder, mix: Mix, distribution: Distribution, exponent: Double, seed: UInt64
    ) -> DeckSource {
        var random = SplitMix64(seed: seed ^ 0x6D69_7865_64)
        let picker = CodePicker(count: links.codes.count, distribution: distribution, exponent: exponent)
        let addresses = (0..<mix.clientAddresses).map { _ in publicIPv4(&random) }
        let allocator = ByteBufferAllocator()
        var deck: [PreparedRequest] = []
        deck.reserveCapacity(mix.deckSize)
        for _ in 0..<mix.deckSize {
            let isMiss = random.unit() < mix.misses
            let code = isMiss ? "ltmiss-" + String(random.next() % 1_000_000_007, radix: 36) : links.codes[picker.pick(&random)]
            let isHead = random.unit() < mix.head
            let isPrefetch = !isHead && random.unit() < mix.prefetch
            let botAgent = random.unit() < mix.botAgents
            let agents = botAgent ? mix.botAgentList : mix.humanAgents
            var headers = [("User-Agent", agents[Int(random.next() % UInt64(agents.count))])]
            headers.append(("Accept-Language", "en-US,en;q=0.9"))
            if random.unit() < 0.3 { headers.append(("Referer", "https://news.example.org/story/\(random.next() % 1000)")) }
            if isPrefetch { headers.append(("Sec-Purpose", "prefetch")) }
            if !addresses.isEmpty { headers.append(("X-Forwarded-For", addresses[Int(random.next() % UInt64(addresses.count))])) }
            deck.append(
                PreparedRequest(
                    bytes: encoder.encode(code: code, head: isHead, headers: headers, allocator: allocator),
                    isHead: isHead, label: isHead || isPrefetch || botAgent ? .bot : .human,
                    isPrefetch: isPrefetch, isMiss: isMiss))
        }
        return DeckSource(deck: deck, distribution: .uniform)
    }

    /// A random unicast IPv4 address outside private, loopback, link-local, CGNAT,
    /// documentation and multicast space.
    static func publicIPv4(_ random: inout SplitMix64) -> String {
        let excluded: Set<UInt64> = [0, 10, 100, 127, 169, 172, 192, 198, 203]
        while true {
            let value = random.next()
            let first = 1 + value % 223
            if excluded.contains(first) { continue }
            return "\(first).\((value >> 8) & 255).\((value >> 16) & 255).\(1 + (value >> 24) % 254)"
        }
    }
}
