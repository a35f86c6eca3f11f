import ShortLinkCore

/// Encodes a link's redirect response once, when the link enters the cache.
enum LinkResponseEncoder {
    /// The encoded response and where a forwarded query string goes.
    struct Encoded {
        /// The full response: status line, `Location`, `Cache-Control`, `Content-Length: 0`.
        var bytes: [UInt8]
        /// Offset in `bytes` where a forwarded query is inserted: before the target's
        /// `#fragment`, else at the end of the `Location` value.
        var insertAt: Int
        /// Whether the target already has a query, so a forwarded one joins with `&`.
        var targetHasQuery: Bool
    }

    /// Encodes the response for a target.
    ///
    /// Bytes of the URL outside visible ASCII (spaces, controls, UTF-8) are percent-encoded,
    /// so a URL written straight into the database can never split the header.
    static func encode(_ target: LinkTarget) -> Encoded {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + target.url.utf8.count)
        bytes.append(contentsOf: "HTTP/1.1 \(target.status.rawValue) \(target.status.reasonPhrase)\r\nLocation: ".utf8)
        var insertAt = -1
        var hasQuery = false
        for byte in target.url.utf8 {
            if byte == UInt8(ascii: "#"), insertAt < 0 { insertAt = bytes.count }
            if byte == UInt8(ascii: "?"), insertAt < 0 { hasQuery = true }
            if byte > 0x20, byte < 0x7F {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0xF))
            }
        }
        if insertAt < 0 { insertAt = bytes.count }
        bytes.append(contentsOf: "\r\nCache-Control: private, max-age=0\r\nContent-Length: 0\r\n\r\n".utf8)
        return Encoded(bytes: bytes, insertAt: insertAt, targetHasQuery: hasQuery)
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
