/// An `http://host[:port][/prefix]` URL: where requests go. HTTPS is not supported (the
/// harness measures the service, not TLS).
public struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    /// Host name or address, as typed.
    public var host: String
    /// TCP port (default 80).
    public var port: Int
    /// Path before the code, without a trailing slash ("" for the root).
    public var pathPrefix: String

    /// Parses `text`; `nil` when it is not a plain `http://` URL.
    /// - Parameter text: e.g. `http://127.0.0.1:8080` or `http://localhost:18080/r`.
    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        while path.hasSuffix("/") { path.removeLast() }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty {
                port = 80
            } else {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            guard let value = Int(authority[authority.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
        } else {
            host = String(authority)
            port = 80
        }
        guard !host.isEmpty else { return nil }
        pathPrefix = path
    }

    /// The value of the `Host` header.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(hostHeader)\(pathPrefix)" }
}
