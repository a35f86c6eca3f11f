import ShortLinkCore

/// Decides which address a click belongs to.
///
/// The socket peer, unless the peer is a configured trusted proxy: only then are
/// `X-Forwarded-For` (preferred) or `Forwarded` read, from the right, skipping hops that
/// are themselves trusted; the first untrusted hop is the client. A hop that is not an
/// address (`unknown`, an obfuscated `_id`) ends the walk with no address, because
/// anything to its left was written by a party we cannot vouch for.
enum ClientAddressResolver {
    static func resolve(
        peer: IPAddress?, trusted: [CIDR], forwardedFor: UnsafeRawBufferPointer?, forwarded: UnsafeRawBufferPointer?
    ) -> IPAddress? {
        guard let peer, !trusted.isEmpty, trusted.containsAddress(peer) else { return peer }
        if let forwardedFor {
            return walk(hops(in: forwardedFor, forwardedSyntax: false), trusted: trusted) ?? peerIfNoHops(forwardedFor, peer)
        }
        if let forwarded {
            return walk(hops(in: forwarded, forwardedSyntax: true), trusted: trusted) ?? peerIfNoHops(forwarded, peer)
        }
        return peer
    }

    /// The result of walking hops right to left.
    private enum Hop {
        case address(IPAddress)
        case unknown
    }

    private static func peerIfNoHops(_ value: UnsafeRawBufferPointer, _ peer: IPAddress) -> IPAddress? {
        // An empty header value means no hop was reported: the peer itself is the client.
        value.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ",") } ? peer : nil
    }

    private static func walk(_ hops: [Hop], trusted: [CIDR]) -> IPAddress? {
        var leftmost: IPAddress?
        for hop in hops.reversed() {
            switch hop {
            case .unknown:
                return nil
            case .address(let address):
                if !trusted.containsAddress(address) { return address }
                leftmost = address
            }
        }
        return leftmost
    }

    private static func hops(in value: UnsafeRawBufferPointer, forwardedSyntax: Bool) -> [Hop] {
        var result: [Hop] = []
        for element in value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            var text = Substring(decoding: element, as: UTF8.self).trimmingWhitespace()
            if text.isEmpty { continue }
            if forwardedSyntax {
                guard let forValue = forParameter(in: text) else { continue }
                text = forValue
            }
            result.append(address(from: text).map(Hop.address) ?? .unknown)
        }
        return result
    }

    /// The `for=` parameter of one RFC 7239 element, unquoted.
    private static func forParameter(in element: Substring) -> Substring? {
        for pair in element.split(separator: ";") {
            let trimmed = pair.trimmingWhitespace()
            guard trimmed.count > 4, trimmed.prefix(4).lowercased() == "for=" else { continue }
            var value = trimmed.dropFirst(4)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return value
        }
        return nil
    }

    /// An address from `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, or `[2001:db8::1]:443`.
    private static func address(from text: Substring) -> IPAddress? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            return IPAddress(text[text.index(after: text.startIndex)..<close])
        }
        if let address = IPAddress(text) { return address }
        // IPv4 with a port: exactly one colon.
        if let colon = text.firstIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) {
            return IPAddress(text[..<colon])
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
