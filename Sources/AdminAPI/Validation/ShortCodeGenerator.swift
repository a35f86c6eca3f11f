public import ShortLinkCore

/// Draws random base62 codes (`[A-Za-z0-9]`) from the system's secure generator.
public struct ShortCodeGenerator: Sendable {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// Characters per code; 7 gives 62⁷ ≈ 3.5 × 10¹² codes, so collisions (which are retried)
    /// stay rare far beyond millions of links.
    public let length: Int

    /// Creates a generator.
    /// - Parameter length: characters per code, 4…64; default 7.
    public init(length: Int = 7) {
        self.length = min(max(length, 4), ShortCode.maximumLength)
    }

    /// A new random code (never a reserved word: those contain characters or lengths it cannot draw,
    /// or are redrawn).
    public func next() -> ShortCode {
        var generator = SystemRandomNumberGenerator()
        while true {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(length)
            for _ in 0..<length {
                bytes.append(Self.alphabet[Int(generator.next(upperBound: UInt64(Self.alphabet.count)))])
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if !ShortCodeRules.reserved.contains(text.lowercased()), let code = ShortCode(text) { return code }
        }
    }
}
