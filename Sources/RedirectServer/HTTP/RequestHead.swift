import ShortLinkCore

/// The parsed request head. All ranges index into the buffer given to ``RequestHeadParser/parse(_:limits:)``.
struct RequestHead: Hashable, Sendable {
    /// The request method, as far as this server cares.
    enum Method: Hashable, Sendable {
        /// `GET` (case-sensitive).
        case get
        /// `HEAD` (case-sensitive).
        case head
        /// Any other syntactically valid method token.
        case other
    }

    /// The request method.
    var method: Method

    /// `true` for HTTP/1.1, `false` for HTTP/1.0 (no other version is accepted).
    var isHTTP11: Bool

    /// The path: from the `/` up to (excluding) the first `?` or `#`, or the end of the target.
    ///
    /// For an absolute-form target (`http://host/p?q`) this is the path of the URL (`/p`). When the URL has
    /// no path at all (`http://host`, `http://host?q`), `count` is 0 and `start` is the offset just after the
    /// authority, where the path would begin; treat an empty path as `/`.
    ///
    /// The bytes are raw (0x21–0x7E): not percent-decoded, dot-segments not removed.
    var path: ByteRange

    /// The bytes after `?` up to (excluding) `#` or the end of the target; `nil` when there is no `?`.
    /// A `?` with nothing after it gives a non-nil range with `count` 0.
    var query: ByteRange?

    /// Whether the connection may stay open after the response.
    ///
    /// HTTP/1.1: `true` unless a `Connection` header lists `close`. HTTP/1.0: `false` unless a `Connection`
    /// header lists `keep-alive`. `close` wins over `keep-alive`.
    var keepAlive: Bool

    /// Bytes consumed, through the final CRLFCRLF, including any leading empty lines that were skipped.
    /// A pipelined next request starts at this offset.
    var headLength: Int

    /// The `Host` header value (OWS-trimmed); `nil` when absent (only possible for HTTP/1.0).
    var host: ByteRange?

    /// The values of the headers captured with a click (``CapturedHeader``), OWS-trimmed; the last
    /// occurrence of a repeated one.
    var captured = CapturedHeaders<ByteRange>()

    /// The `X-Forwarded-For` header value (OWS-trimmed). When repeated, the last occurrence is kept: that is
    /// where the hops our own trusted proxy appended are.
    var forwardedFor: ByteRange?

    /// The `Forwarded` (RFC 7239) header value (OWS-trimmed). When repeated, the last occurrence is kept.
    var forwarded: ByteRange?

    /// For an absolute-form target (`http://host:8080/p`), the authority (`host:8080`); `nil` for origin-form.
    ///
    /// RFC 9112 §3.2.2: when the target is in absolute-form, the recipient must use this authority and
    /// ignore `Host` for identifying the target resource.
    var authority: ByteRange?
}
