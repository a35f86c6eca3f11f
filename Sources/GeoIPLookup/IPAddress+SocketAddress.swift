import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension IPAddress {
    /// Calls `body` with the address as a `sockaddr_in` (IPv4, including IPv4-mapped IPv6) or
    /// `sockaddr_in6`, the form `MMDB_lookup_sockaddr` takes. An IPv4 address is looked up in
    /// an IPv6 database's IPv4 subtree (`::a.b.c.d`), where MaxMind and DB-IP keep IPv4 data.
    func withSocketAddress<Result>(_ body: (UnsafePointer<sockaddr>) -> Result) -> Result {
        if let ipv4 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = ipv4.bigEndian
            return withUnsafePointer(to: &address) { pointer in
                body(UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr.self))
            }
        }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
            bytes.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return withUnsafePointer(to: &address) { pointer in
            body(UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr.self))
        }
    }
}
