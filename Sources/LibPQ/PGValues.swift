/// Raw bytes, bound and read as `bytea`.
public struct PGBytes: Hashable, Sendable {
    /// The bytes.
    public var bytes: [UInt8]
    /// Wraps bytes.
    /// - Parameter bytes: the value.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// A Postgres `uuid`: 16 bytes kept as two big-endian halves.
public struct PGUUID: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0…7, big-endian.
    public var high: UInt64
    /// Bytes 8…15, big-endian.
    public var low: UInt64
    /// Creates a uuid from its halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public var description: String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for nibble in 0..<32 {
            if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { out.append(UInt8(ascii: "-")) }
            let word = nibble < 16 ? high : low
            out.append(hex[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A Postgres `timestamptz` (or `timestamp`, read as UTC) with microsecond precision.
public struct PGTimestamp: Hashable, Comparable, Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64
    /// Creates a time stamp.
    /// - Parameter microsecondsSinceEpoch: microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// Microseconds between the Unix epoch and the Postgres epoch (2000-01-01).
    static let postgresEpochOffset: Int64 = 946_684_800_000_000

    public static func < (lhs: PGTimestamp, rhs: PGTimestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }
}

/// A Postgres `numeric`, kept exactly as its decimal text (e.g. `-12.3400`, `NaN`).
public struct PGNumeric: Hashable, Sendable, CustomStringConvertible {
    /// The decimal text.
    public var text: String
    /// Wraps decimal text.
    /// - Parameter text: e.g. `12.50`.
    public init(_ text: String) { self.text = text }
    /// The nearest `Double`, or `nil` when the text is not a number.
    public var doubleValue: Double? { Double(text) }
    public var description: String { text }
}

/// A Postgres `inet`/`cidr`: an IPv4 or IPv6 address with a prefix length.
public struct PGInet: Hashable, Sendable, CustomStringConvertible {
    /// 4 or 16 address bytes.
    public var address: [UInt8]
    /// The prefix length (32 or 128 for a single host).
    public var prefixLength: UInt8

    /// Creates an address.
    /// - Parameters:
    ///   - address: 4 (IPv4) or 16 (IPv6) bytes.
    ///   - prefixLength: default: the full length.
    public init(address: [UInt8], prefixLength: UInt8? = nil) {
        self.address = address
        self.prefixLength = prefixLength ?? UInt8(address.count * 8)
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool { address.count == 4 }

    /// The address without the prefix, e.g. `192.0.2.1` or `2001:db8::1`.
    public var addressText: String {
        if isIPv4 { return address.map { String($0) }.joined(separator: ".") }
        var groups: [UInt16] = []
        for index in stride(from: 0, to: 16, by: 2) {
            groups.append(UInt16(address[index]) << 8 | UInt16(address[index + 1]))
        }
        // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on ties.
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for index in 0...8 {
            if index < 8, groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength, index - runStart >= 2 {
                    bestStart = runStart
                    bestLength = index - runStart
                }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    /// `address` for a host, `address/prefix` otherwise.
    public var description: String {
        prefixLength == UInt8(address.count * 8) ? addressText : "\(addressText)/\(prefixLength)"
    }
}
