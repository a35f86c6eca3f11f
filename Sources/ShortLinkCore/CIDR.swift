/// An address block such as `10.0.0.0/8` or `2001:db8::/32`; a bare address is a /32 or /128.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits cleared).
    public let network: IPAddress
    /// Prefix length in the address family's own bits (0…32 for IPv4, 0…128 for IPv6).
    public let prefixLength: Int

    /// Parses `address/prefix` or a bare address; `nil` when malformed or the prefix is out of range.
    /// - Parameter text: the block, e.g. `192.168.0.0/16`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                let value = Int(parts[1]), value <= maximum
            else { return nil }
            prefix = value
        }
        self.network = address.masked(toPrefix: prefix)
        self.prefixLength = prefix
    }

    /// Whether the address lies in this block (IPv4 blocks only match IPv4 addresses).
    /// - Parameter address: the address to test.
    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == network.isIPv4 else { return false }
        return address.masked(toPrefix: prefixLength) == network
    }

    public var description: String { "\(network)/\(prefixLength)" }
}

extension Array where Element == CIDR {
    /// Whether any block contains the address.
    /// - Parameter address: the address to test.
    public func containsAddress(_ address: IPAddress) -> Bool {
        contains { $0.contains(address) }
    }
}
