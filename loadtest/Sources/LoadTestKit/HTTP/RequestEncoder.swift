public import NIOCore

/// One request line and header block, encoded once: the drivers write the same bytes again
/// and again (a `ByteBuffer` write shares storage, it does not copy).
public struct RequestEncoder: Sendable {
    /// The target's `Host` header and path prefix.
    public let base: BaseURL

    /// - Parameter base: where requests go.
    public init(base: BaseURL) { self.base = base }

    /// `METHOD /prefix/code HTTP/1.1` with `Host` and the given headers, keep-alive.
    /// - Parameters:
    ///   - code: the short code (or any path segment).
    ///   - head: `HEAD` instead of `GET`.
    ///   - headers: `(name, value)` pairs, written in order; values must not contain CR or LF.
    ///   - allocator: where the buffer comes from.
    public func encode(code: String, head: Bool = false, headers: [(String, String)], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64 + code.utf8.count + headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        buffer.writeString(head ? "HEAD " : "GET ")
        buffer.writeString(base.pathPrefix)
        buffer.writeString("/")
        buffer.writeString(code)
        buffer.writeString(" HTTP/1.1\r\nHost: ")
        buffer.writeString(base.hostHeader)
        buffer.writeString("\r\n")
        for (name, value) in headers {
            buffer.writeString(name)
            buffer.writeString(": ")
            buffer.writeString(value)
            buffer.writeString("\r\n")
        }
        buffer.writeString("\r\n")
        return buffer
    }

    /// Whether `value` can travel as a header value (no control bytes but tab, not empty).
    public static func isValidHeaderValue(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }
}
