#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A 128-bit identifier in RFC 9562 UUID layout, used for every row key.
///
/// Core keeps its own value instead of Foundation's `UUID` so that the hot path and the
/// domain stay on the standard library. Text form is lowercase `8-4-4-4-12` hex.
public struct EntityID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first 8 bytes, big-endian.
    public var high: UInt64
    /// The last 8 bytes, big-endian.
    public var low: UInt64

    /// Creates an identifier from its two big-endian halves.
    /// - Parameters:
    ///   - high: bytes 0…7.
    ///   - low: bytes 8…15.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses the canonical text form (case-insensitive, hyphens at 8-4-4-4-12).
    /// - Parameter string: the text; returns `nil` when it is not a UUID.
    public init?(_ string: some StringProtocol) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        var index = 0
        for byte in string.utf8 {
            defer { index += 1 }
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = Self.hexValue(byte) else { return nil }
            if nibbles < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            nibbles += 1
        }
        guard index == 36, nibbles == 32 else { return nil }
        self.init(high: high, low: low)
    }

    /// A random (version 4) identifier.
    public static func random() -> EntityID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// A random (version 4) identifier from the given generator.
    /// - Parameter generator: the source of randomness.
    public static func random(using generator: inout some RandomNumberGenerator) -> EntityID {
        let high = (generator.next() & ~0xF000) | 0x4000
        let low = (generator.next() & ~(0xC000 << 48)) | (0x8000 << 48)
        return EntityID(high: high, low: low)
    }

    /// A time-ordered (version 7) identifier: 48 bits of Unix milliseconds, then random bits.
    /// - Parameters:
    ///   - unixMilliseconds: the time stamp to embed.
    ///   - generator: the source of the random bits.
    public static func version7(
        unixMilliseconds: UInt64,
        using generator: inout some RandomNumberGenerator
    ) -> EntityID {
        let randA = generator.next() & 0x0FFF
        let high = (unixMilliseconds & 0xFFFF_FFFF_FFFF) << 16 | 0x7000 | randA
        let low = (generator.next() & ~(0xC000 << 48)) | (0x8000 << 48)
        return EntityID(high: high, low: low)
    }

    /// The version nibble (4 for random, 7 for time-ordered).
    public var version: Int { Int((high >> 12) & 0xF) }

    /// The 16 bytes, big-endian.
    public var bytes: [UInt8] {
        var result = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            result[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            result[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        return result
    }

    /// Canonical lowercase text form.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``description``'s bytes without building a `String` (the click writer's COPY
    /// encoding does this twice a row).
    /// - Parameter buffer: the output.
    public func appendDescription(to buffer: inout [UInt8]) {
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { buffer.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? high : low
            let value = UInt8(truncatingIfNeeded: (word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)
            buffer.append(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10)
        }
    }

    public static func < (lhs: EntityID, rhs: EntityID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
