/// The 64-bit FNV-1a hash, used to derive a stable directory name from a path.
///
/// Unlike `Hasher`, its value is the same in every process and on every run.
struct FNV1a64: Sendable {
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of the UTF-8 bytes of `text`.
    static func hash(_ text: String) -> UInt64 {
        var value = offsetBasis
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* prime
        }
        return value
    }

    /// The hash of `text` as 16 lowercase hexadecimal digits.
    static func hexDigest(_ text: String) -> String {
        let hex = String(hash(text), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
