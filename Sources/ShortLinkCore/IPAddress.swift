/// An IPv4 or IPv6 address held in 16 bytes; IPv4 is stored IPv4-mapped (`::ffff:a.b.c.d`).
///
/// Core's own type so that the hot path can carry a client address without Foundation or
/// a socket type, and the pipeline can geolocate, anonymize and match it against CIDRs.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// Bytes 0…7 of the IPv6 (or mapped IPv4) address, big-endian.
    public var high: UInt64
    /// Bytes 8…15, big-endian.
    public var low: UInt64

    /// Creates an address from its two big-endian halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address.
    /// - Parameter ipv4: the address as a host-order integer (`a << 24 | b << 16 | c << 8 | d`).
    public init(ipv4: UInt32) {
        self.init(high: 0, low: 0xFFFF_0000_0000 | UInt64(ipv4))
    }

    /// An address from 4 or 16 network-order bytes; `nil` for any other length.
    /// - Parameter bytes: the raw address.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            var value: UInt32 = 0
            for byte in bytes { value = value << 8 | UInt32(byte) }
            self.init(ipv4: value)
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            self.init(high: high, low: low)
        default:
            return nil
        }
    }

    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text (with `::` and an embedded IPv4 tail);
    /// a zone (`%eth0`) is ignored. `nil` when the text is not an address.
    /// - Parameter text: the address text.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        if let percent = bytes.firstIndex(of: UInt8(ascii: "%")) { bytes.removeSubrange(percent...) }
        if let v4 = Self.parseIPv4(bytes[...]) {
            self.init(ipv4: v4)
        } else if let v6 = Self.parseIPv6(bytes[...]) {
            self.init(high: v6.0, low: v6.1)
        } else {
            return nil
        }
    }

    /// Whether this is an IPv4 (mapped) address.
    public var isIPv4: Bool { high == 0 && low >> 32 == 0xFFFF }

    /// The IPv4 value when ``isIPv4``.
    public var ipv4: UInt32? { isIPv4 ? UInt32(truncatingIfNeeded: low) : nil }

    /// The 16 network-order bytes.
    public var bytes16: [UInt8] {
        (0..<16).map { index in
            index < 8
                ? UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
                : UInt8(truncatingIfNeeded: low >> (56 - 8 * (index - 8)))
        }
    }

    /// The address with all bits after the first `prefix` cleared (counted in IPv4 bits for
    /// IPv4 addresses, IPv6 bits otherwise).
    /// - Parameter prefix: bits to keep.
    public func masked(toPrefix prefix: Int) -> IPAddress {
        let bits = isIPv4 ? 96 + max(0, min(32, prefix)) : max(0, min(128, prefix))
        let (maskHigh, maskLow) = Self.mask(bits)
        return IPAddress(high: high & maskHigh, low: low & maskLow)
    }

    /// Appends ``description``'s bytes; an IPv4 address without building a `String` (the
    /// click writer's COPY encoding does this for every row).
    /// - Parameter buffer: the output.
    public func appendDescription(to buffer: inout [UInt8]) {
        guard let v4 = ipv4 else {
            buffer.append(contentsOf: description.utf8)
            return
        }
        for index in 0..<4 {
            if index > 0 { buffer.append(UInt8(ascii: ".")) }
            let octet = UInt8(truncatingIfNeeded: v4 >> UInt32(24 - 8 * index))
            if octet >= 100 { buffer.append(UInt8(ascii: "0") + octet / 100) }
            if octet >= 10 { buffer.append(UInt8(ascii: "0") + octet / 10 % 10) }
            buffer.append(UInt8(ascii: "0") + octet % 10)
        }
    }

    /// Dotted quad for IPv4, RFC 5952 compressed form for IPv6.
    public var description: String {
        if isIPv4 {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(15)
            appendDescription(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (48 - 16 * (index % 4)))
        }
        // The longest run (length >= 2) of zero groups becomes "::".
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if groups[index] == 0 {
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }

    static func mask(_ bits: Int) -> (UInt64, UInt64) {
        let high: UInt64 = bits >= 64 ? ~0 : (bits <= 0 ? 0 : ~0 << (64 - bits))
        let low: UInt64 = bits >= 128 ? ~0 : (bits <= 64 ? 0 : ~0 << (128 - bits))
        return (high, low)
    }

    static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var octets = 0
        var current: UInt32 = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, octets < 3 else { return nil }
                value = value << 8 | current
                octets += 1
                current = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                // No leading zeros ("010" is ambiguous: octal in some parsers).
                if digits == 1, current == 0 { return nil }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard current <= 255, digits <= 3 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, octets == 3 else { return nil }
        return value << 8 | current
    }

    static func parseIPv6(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count >= 2 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = bytes.startIndex
        if bytes[index] == UInt8(ascii: ":") {
            guard bytes[index + 1] == UInt8(ascii: ":") else { return nil }
            sawDoubleColon = true
            index += 2
        }
        while index < bytes.endIndex {
            // An embedded IPv4 tail takes the last 32 bits.
            let rest = bytes[index...]
            if rest.contains(UInt8(ascii: ".")), !rest.contains(UInt8(ascii: ":")) {
                guard let v4 = parseIPv4(rest) else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                if sawDoubleColon { tail += groups } else { head += groups }
                index = bytes.endIndex
                break
            }
            var value: UInt32 = 0
            var digits = 0
            while index < bytes.endIndex, let nibble = hexValue(bytes[index]) {
                value = value << 4 | UInt32(nibble)
                digits += 1
                guard digits <= 4 else { return nil }
                index += 1
            }
            guard digits > 0 else { return nil }
            if sawDoubleColon { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
            if index == bytes.endIndex { break }
            guard bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index += 1
            } else if index == bytes.endIndex {
                return nil
            }
        }
        let count = head.count + tail.count
        if sawDoubleColon { guard count <= 7 else { return nil } } else { guard count == 8 else { return nil } }
        let groups = head + Array(repeating: 0, count: 8 - count) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (position, group) in groups.enumerated() {
            if position < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return (high, low)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
