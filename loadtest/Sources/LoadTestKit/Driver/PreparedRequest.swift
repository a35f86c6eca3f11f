public import NIOCore

/// Whether the harness sent a request as a bot or as a person: a HEAD, a prefetch header or
/// a bot user agent makes it a bot; everything else is a human.
public enum ClickLabel: UInt8, Sendable, Codable {
    case human, bot
}

/// One request ready to write, and what the harness knows about it.
public struct PreparedRequest: Sendable {
    /// The encoded request (shared storage; writing it does not copy).
    public var bytes: ByteBuffer
    /// A HEAD request (its answer has no body).
    public var isHead: Bool
    /// Bot or human, as sent.
    public var label: ClickLabel
    /// It carries a prefetch header (`Sec-Purpose: prefetch`).
    public var isPrefetch: Bool
    /// It asks for a code that does not exist (a 404 is expected).
    public var isMiss: Bool
    /// The churn scenario's link index (`-1` elsewhere).
    public var slot: Int32

    /// - Parameters: see the properties.
    public init(bytes: ByteBuffer, isHead: Bool = false, label: ClickLabel = .human, isPrefetch: Bool = false, isMiss: Bool = false, slot: Int32 = -1)
    {
        self.bytes = bytes
        self.isHead = isHead
        self.label = label
        self.isPrefetch = isPrefetch
        self.isMiss = isMiss
        self.slot = slot
    }
}

/// Where a scenario's requests come from, shared by every connection (each passes its own
/// generator, so nothing is locked on the request path unless the scenario needs it).
public protocol RequestSource: Sendable {
    /// The next request.
    func next(_ random: inout SplitMix64) -> PreparedRequest
    /// Whether answers must carry their `Location` (for ``check(_:response:sent:received:)``).
    var needsLocation: Bool { get }
    /// Checks an answer; the text of a violation, or `nil` when it is fine.
    func check(_ request: PreparedRequest, response: ResponseParser.Response, sent: UInt64, received: UInt64) -> String?
}

extension RequestSource {
    /// By default answers are not checked.
    public var needsLocation: Bool { false }
    /// By default answers are not checked.
    public func check(_ request: PreparedRequest, response: ResponseParser.Response, sent: UInt64, received: UInt64) -> String? { nil }
}

/// A fixed set of prepared requests, drawn uniformly or Zipf: the redirect scenario (one
/// entry per link) and the mixed one (a shuffled deck of every kind of request).
public struct DeckSource: RequestSource {
    /// The requests.
    public let deck: [PreparedRequest]
    /// How entries are drawn.
    public let picker: CodePicker

    /// - Parameters:
    ///   - deck: the requests (not empty).
    ///   - distribution: how to draw them.
    ///   - exponent: the Zipf exponent.
    public init(deck: [PreparedRequest], distribution: Distribution, exponent: Double = 1.0) {
        self.deck = deck
        picker = CodePicker(count: deck.count, distribution: distribution, exponent: exponent)
    }

    public func next(_ random: inout SplitMix64) -> PreparedRequest { deck[picker.pick(&random)] }
}
