/// Byte helpers for user-agent text, which is ASCII in practice; other bytes pass through.
enum ASCII {
    /// The byte with A–Z lowered; anything else unchanged.
    /// - Parameter byte: a UTF-8 byte.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    /// Whether the byte is a–z, A–Z or 0–9.
    /// - Parameter byte: a UTF-8 byte.
    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 97 < 26 || byte &- 48 < 10
    }

    /// Whether the byte is 0–9.
    /// - Parameter byte: a UTF-8 byte.
    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 48 < 10
    }

    /// Whether the byte is a space, tab, CR or LF.
    /// - Parameter byte: a UTF-8 byte.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 10 || byte == 13
    }

    /// The text's UTF-8 bytes lowercased, without leading and trailing white space.
    /// - Parameter text: a header value.
    static func trimmedLowercase(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        var end = bytes.count
        while end > 0, isSpace(bytes[end - 1]) { end -= 1 }
        var start = 0
        while start < end, isSpace(bytes[start]) { start += 1 }
        if start > 0 || end < bytes.count { bytes = Array(bytes[start..<end]) }
        for index in bytes.indices { bytes[index] = lowercased(bytes[index]) }
        return bytes
    }
}
