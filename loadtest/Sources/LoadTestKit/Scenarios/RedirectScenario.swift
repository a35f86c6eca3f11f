import NIOCore

/// `redirect`: GET one of the run's links, drawn uniform or Zipf, as a person's browser.
public enum RedirectScenario {
    /// One prepared request per link.
    /// - Parameters:
    ///   - links: the codes.
    ///   - encoder: the target.
    ///   - distribution: how codes are drawn.
    ///   - exponent: the Zipf exponent.
    public static func source(links: LinkSet, encoder: RequestEncoder, distribution: Distribution, exponent: Double) -> DeckSource {
        let allocator = ByteBufferAllocator()
        let headers = [("User-Agent", UserAgents.chrome), ("Accept-Language", "en-US,en;q=0.9")]
        let deck = links.codes.map { code in
            PreparedRequest(bytes: encoder.encode(code: code, headers: headers, allocator: allocator), label: .human)
        }
        return DeckSource(deck: deck, distribution: distribution, exponent: exponent)
    }
}
