/// The path segment that names a link: `[A-Za-z0-9_-]{1,64}`, case-sensitive.
public struct ShortCode: Hashable, Sendable, CustomStringConvertible {
    /// The longest code accepted.
    public static let maximumLength = 64

    /// The code text.
    public let rawValue: String

    /// Validates a code.
    /// - Parameter rawValue: the candidate; `nil` when it is empty, too long, or has a
    ///   character outside `A-Z a-z 0-9 _ -`.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue.utf8) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether the bytes form a valid code.
    /// - Parameter bytes: UTF-8 bytes of the candidate.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        return bytes.allSatisfy(isCodeByte)
    }

    /// Whether one byte may appear in a code.
    /// - Parameter byte: an ASCII byte.
    @inlinable
    public static func isCodeByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    public var description: String { rawValue }
}
