public import ShortLinkCore

/// Hashes a visitor (client address + User-Agent) with one day's secret salt.
///
/// The same visitor gets the same hash all day on every instance (the salt is shared
/// through the database), and a different, unlinkable one the next day.
public struct VisitorHasher: Sendable, Hashable {
    private let k0: UInt64
    private let k1: UInt64

    /// - Parameter salt: 16 secret bytes.
    public init(salt: [UInt8]) {
        precondition(salt.count == 16, "a visitor salt has 16 bytes")
        var k0: UInt64 = 0
        var k1: UInt64 = 0
        for index in 0..<8 {
            k0 |= UInt64(salt[index]) << (8 * UInt64(index))
            k1 |= UInt64(salt[index + 8]) << (8 * UInt64(index))
        }
        self.k0 = k0
        self.k1 = k1
    }

    /// The visitor hash, over the full address (before any anonymisation) and the UA.
    /// - Parameters:
    ///   - address: the client address; `nil` hashes as absent.
    ///   - userAgent: the User-Agent; `nil` hashes differently from an empty one.
    public func hash(address: IPAddress?, userAgent: String?) -> Int64 {
        var hasher = SipHash24(k0: k0, k1: k1)
        if let address {
            hasher.combine(CollectionOfOne(UInt8(1)))
            hasher.combine(address.bytes16)
        } else {
            hasher.combine(CollectionOfOne(UInt8(0)))
        }
        if let userAgent {
            hasher.combine(CollectionOfOne(UInt8(1)))
            hasher.combine(userAgent.utf8)
        } else {
            hasher.combine(CollectionOfOne(UInt8(0)))
        }
        return Int64(bitPattern: hasher.finalize())
    }

    /// The UTC day of a time stamp (days since 1970-01-01), the unit salts rotate by.
    /// - Parameter timestamp: the click's time.
    public static func day(of timestamp: Timestamp) -> Int64 {
        let perDay: Int64 = 86_400_000_000
        let micros = timestamp.microsecondsSinceEpoch
        return micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
    }
}
