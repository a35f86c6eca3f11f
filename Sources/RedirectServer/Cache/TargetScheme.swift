import ShortLinkCore

/// Whether the edge may redirect to a stored target: only `http://` and `https://` URLs.
///
/// The admin API never stores anything else, but a row written by SQL could hold
/// `javascript:…` or `data:…`; the edge treats such a link as unavailable (it is left out of
/// the cache, so its code answers 404 like an unknown one and no click is recorded) instead
/// of sending a `Location` a browser might act on.
enum TargetScheme {
    /// - Parameter url: the stored target.
    static func isRedirectable(_ url: String) -> Bool {
        var utf8 = url.utf8.makeIterator()
        var scheme: [UInt8] = []
        while let byte = utf8.next(), scheme.count <= 6 {
            if byte == UInt8(ascii: ":") {
                let lower = scheme.map { $0 | 0x20 }
                guard lower == Array("http".utf8) || lower == Array("https".utf8) else { return false }
                return utf8.next() == UInt8(ascii: "/") && utf8.next() == UInt8(ascii: "/")
            }
            scheme.append(byte)
        }
        return false
    }
}
