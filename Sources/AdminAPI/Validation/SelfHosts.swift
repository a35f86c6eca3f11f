import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Every name and address this service answers on, so a link cannot point back at it (a
/// redirect loop that would also count the loop's hops as clicks).
///
/// What counts as "this service": the public base URL's host; the edge's and the admin
/// listener's listen addresses (a wildcard `0.0.0.0`/`::` stands for every local interface's
/// address); the loopback ranges `127.0.0.0/8` and `::1`, the unspecified addresses
/// (`0.0.0.0/8`, `::`, which Linux connects to the local host); the names `localhost`,
/// `*.localhost` and `localhost.localdomain`; and the machine's host name. Names are not
/// resolved (that would be blocking I/O and racy: DNS may answer differently later).
struct SelfHosts: Sendable, Equatable {
    /// Normalised names (see ``URLHost``).
    var names: Set<String>
    /// Exact addresses.
    var addresses: Set<IPAddress>
    /// Ranges refused whole.
    var ranges: [CIDR]

    /// The ranges and names that are the local host wherever the service runs.
    static let loopback = SelfHosts(
        names: ["localhost", "localhost.localdomain"], addresses: [],
        ranges: ["127.0.0.0/8", "::1/128", "0.0.0.0/8", "::/128"].compactMap { CIDR($0) })

    /// Nothing: for URLs that may point anywhere (avatars).
    static let none = SelfHosts(names: [], addresses: [], ranges: [])

    /// Whether a parsed host is this service.
    func contains(_ host: URLHost) -> Bool {
        switch host {
        case .address(let address):
            return addresses.contains(address) || ranges.contains { $0.contains(address) }
        case .name(let name):
            if names.contains(name) { return true }
            return !ranges.isEmpty && (name == "localhost" || name.hasSuffix(".localhost"))
        }
    }

    /// Adds a host text (a name or an address literal, brackets optional).
    mutating func add(host text: String) {
        let bracketed = text.contains(":") && !text.hasPrefix("[") ? "[\(text)]" : text
        switch URLHost(bracketed) {
        case .address(let address): addresses.insert(address)
        case .name(let name): names.insert(name)
        case nil: break
        }
    }

    /// This machine's view of itself.
    /// - Parameters:
    ///   - publicHost: the public base URL's host.
    ///   - listenHosts: the edge's and admin listener's listen hosts.
    ///   - interfaceAddresses: the local interfaces' addresses; default read with `getifaddrs`.
    ///   - hostName: the machine's name; default `gethostname`.
    static func current(
        publicHost: String?, listenHosts: [String], interfaceAddresses: [IPAddress]? = nil, hostName: String? = nil
    ) -> SelfHosts {
        var hosts = loopback
        if let publicHost { hosts.add(host: publicHost) }
        var wildcard = false
        for host in listenHosts {
            if ["0.0.0.0", "::", "[::]", "*", ""].contains(host) { wildcard = true } else { hosts.add(host: host) }
        }
        if wildcard { hosts.addresses.formUnion(interfaceAddresses ?? Self.interfaceAddresses()) }
        if let name = hostName ?? Self.hostName(), !name.isEmpty { hosts.add(host: name) }
        return hosts
    }

    /// The addresses of every local interface (`getifaddrs`); empty when it fails.
    static func interfaceAddresses() -> [IPAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var result: [IPAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    result.append(IPAddress(ipv4: UInt32(bigEndian: $0.pointee.sin_addr.s_addr)))
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    var bytes = $0.pointee.sin6_addr
                    let raw = withUnsafeBytes(of: &bytes) { Array($0) }
                    if let value = IPAddress(bytes: raw) { result.append(value) }
                }
            default: continue
            }
        }
        return result
    }

    /// The machine's host name, or `nil`.
    static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return nil }
        return String(cString: buffer)
    }
}
