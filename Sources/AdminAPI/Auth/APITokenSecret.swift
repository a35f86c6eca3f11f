import Crypto

/// A new API token's secret: `slk_` plus 43 base62 characters (256 bits of randomness).
/// Only its SHA-256 digest is stored; its first 12 characters are kept as a prefix so a user
/// can recognise it in listings.
public struct APITokenSecret: Sendable {
    /// What marks our tokens (and tells them apart from JWTs).
    public static let marker = "slk_"
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let randomCharacters = 43

    /// The token, shown once.
    public let token: String

    /// Draws a new secret from the system's secure generator.
    public static func generate() -> APITokenSecret {
        var generator = SystemRandomNumberGenerator()
        var bytes = Array(marker.utf8)
        for _ in 0..<randomCharacters {
            bytes.append(alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))])
        }
        return APITokenSecret(token: String(decoding: bytes, as: UTF8.self))
    }

    /// The digest stored in `api_tokens.token_hash`.
    public var digest: [UInt8] { Self.digest(of: token) }

    /// The prefix stored in `api_tokens.token_prefix`.
    public var prefix: String { String(token.prefix(12)) }

    /// SHA-256 of a presented token.
    /// - Parameter token: the bearer credential.
    public static func digest(of token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }
}
