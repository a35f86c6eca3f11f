/// The rules a link's `originalUrl` must meet: an absolute `http` or `https` URL with a host,
/// at most 8 KiB, no white space or control characters, no credentials (`user:pass@`: a
/// `https://paypal.com@evil.example/` target shows one site's name and opens another), and
/// not pointing at this service itself (see ``SelfHosts``: a link to its own short domain,
/// its listeners or the local host would redirect in a loop), compared after the host is
/// parsed the way browsers parse it (``URLHost``).
struct TargetURLRules: Sendable {
    /// The longest URL accepted, in UTF-8 bytes (so also at most 8,192 code points, which the
    /// column's CHECK counts).
    static let maximumBytes = 8192

    /// The names and addresses a link may not point at.
    let selfHosts: SelfHosts

    /// - Parameter selfHosts: what counts as this service; default ``SelfHosts/loopback``.
    init(selfHosts: SelfHosts = .loopback) {
        self.selfHosts = selfHosts
    }

    /// Checks a URL.
    /// - Parameters:
    ///   - url: the candidate, as sent.
    ///   - field: the field path for the error.
    /// - Returns: the error, or `nil` when the URL is acceptable.
    func check(_ url: String, field: String) -> FieldError? {
        func fail(_ code: String, _ message: String) -> FieldError { FieldError(field: field, code: code, message: message) }
        guard url.utf8.count <= Self.maximumBytes else {
            return fail("url_too_long", "must be at most \(Self.maximumBytes) bytes")
        }
        guard !url.isEmpty else { return fail("blank", "must not be empty") }
        if url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
            return fail("url_characters", "must not contain spaces or control characters (percent-encode them)")
        }
        guard let colon = url.firstIndex(of: ":") else {
            return fail("url_not_absolute", "must be an absolute URL starting with http:// or https://")
        }
        let scheme = url[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            let isScheme =
                scheme.first?.isLetter == true
                && scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            return isScheme
                ? fail("url_scheme", "must use the http or https scheme")
                : fail("url_not_absolute", "must be an absolute URL starting with http:// or https://")
        }
        let rest = url[url.index(after: colon)...]
        guard rest.hasPrefix("//") else {
            return fail("url_not_absolute", "must be an absolute URL starting with http:// or https://")
        }
        let afterSlashes = rest.dropFirst(2)
        let authority = afterSlashes.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            return fail("url_credentials", "must not contain credentials (user:password@)")
        }
        guard let host = Self.host(of: authority), let parsed = URLHost(host) else {
            return fail("url_host", "must name a host (and a valid port, if any)")
        }
        if selfHosts.contains(parsed) {
            return fail("url_loop", "must not point at this service itself (its short domain, its listeners or the local host)")
        }
        return nil
    }

    /// The host of `host[:port]` or `[v6][:port]` (brackets kept), or `nil` when empty or the port is bad.
    static func host(of text: Substring) -> Substring? {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.startIndex...close]
            let inner = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
            guard !inner.isEmpty, inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            if let colon = text.lastIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = text
            }
            let forbidden: Set<Character> = ["<", ">", "\"", "{", "}", "|", "\\", "^", "`", "[", "]", "%"]
            guard !host.isEmpty, !host.contains(where: { forbidden.contains($0) }), host != "." else { return nil }
        }
        if let portText {
            guard portText.isEmpty || (portText.allSatisfy(\.isASCII) && Int(portText).map { (0...65_535).contains($0) } == true)
            else { return nil }
        }
        return host
    }

    /// Lowercased, without a trailing dot, so `Sho.rt.` and `sho.rt` compare equal.
    static func normalized(_ host: some StringProtocol) -> String {
        var host = host.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        return host
    }
}
