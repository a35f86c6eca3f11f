/// The parts of a request-target that the parser reports (RFC 9112 §3.2).
///
/// Only origin-form (`/p?q`) and absolute-form with an `http` or `https` scheme (`http://host/p?q`) are
/// accepted; asterisk-form (`*`) and authority-form (`host:443`) are rejected.
struct RequestTarget: Hashable, Sendable {
    /// See ``RequestHead/path``.
    var path: ByteRange
    /// See ``RequestHead/query``.
    var query: ByteRange?
    /// See ``RequestHead/authority``.
    var authority: ByteRange?

    /// Splits the target at `start..<end` of `bytes`, or returns `nil` if it is not an accepted form.
    ///
    /// The caller has already checked that the target is non-empty and that every byte is 0x21–0x7E, and
    /// passes the offset of the first `?` that precedes any `#` (`questionMark`) and of the first `#`
    /// (`hashMark`), each -1 when absent.
    ///
    /// In absolute-form the authority must be non-empty and made of Host characters only (so userinfo,
    /// `user@host`, is rejected); it ends at the first `/`, `?`, `#` or the end of the target.
    @inline(__always)
    static func parse(
        _ bytes: UnsafeRawBufferPointer, start: Int, end: Int, questionMark: Int, hashMark: Int
    ) -> RequestTarget? {
        let fragmentStart = hashMark >= 0 ? hashMark : end
        let pathEnd = questionMark >= 0 ? questionMark : fragmentStart
        let query: ByteRange? =
            questionMark >= 0 ? ByteRange(start: questionMark &+ 1, count: fragmentStart &- questionMark &- 1) : nil

        if bytes[start] == HTTPByte.slash {
            return RequestTarget(path: ByteRange(start: start, count: pathEnd &- start), query: query, authority: nil)
        }

        // Absolute-form: "http://" or "https://" (scheme case-insensitive), then a non-empty authority.
        guard end &- start >= 7, HTTPByte.equalsIgnoringCase(bytes, at: start, "http") else { return nil }
        var i = start &+ 4
        if bytes[i] | 0x20 == UInt8(ascii: "s") { i &+= 1 }
        guard end &- i >= 3, bytes[i] == HTTPByte.colon, bytes[i &+ 1] == HTTPByte.slash,
            bytes[i &+ 2] == HTTPByte.slash
        else { return nil }
        let authorityStart = i &+ 3
        var j = authorityStart
        while j < end {
            let byte = bytes[j]
            if byte == HTTPByte.slash || byte == HTTPByte.question || byte == HTTPByte.hash { break }
            guard HTTPByte.isHostByte(byte) else { return nil }
            j &+= 1
        }
        guard j > authorityStart else { return nil }
        // No '?' or '#' can precede j, so pathEnd >= j. A missing path is an empty range at j.
        return RequestTarget(
            path: ByteRange(start: j, count: pathEnd &- j),
            query: query,
            authority: ByteRange(start: authorityStart, count: j &- authorityStart)
        )
    }
}
