/// Byte constants and byte classes of the HTTP/1.x grammar (RFC 9110, RFC 9112, RFC 3986).
///
/// Classes are bit masks over the 128 ASCII values, so a test is a shift and an AND: no tables, no allocation.
enum HTTPByte {
    /// Carriage return (`\r`).
    static var cr: UInt8 { 0x0D }
    /// Line feed (`\n`).
    static var lf: UInt8 { 0x0A }
    /// Space.
    static var space: UInt8 { 0x20 }
    /// Horizontal tab.
    static var tab: UInt8 { 0x09 }
    /// `:`.
    static var colon: UInt8 { 0x3A }
    /// `/`.
    static var slash: UInt8 { 0x2F }
    /// `?`.
    static var question: UInt8 { 0x3F }
    /// `#`.
    static var hash: UInt8 { 0x23 }
    /// `,`.
    static var comma: UInt8 { 0x2C }
    /// `0`.
    static var zero: UInt8 { 0x30 }

    /// Bits 0x00–0x3F of RFC 9110 `tchar`: `!#$%&'*+-.` and DIGIT.
    private static var tcharLow: UInt64 { 0x03FF_6CFA_0000_0000 }
    /// Bits 0x40–0x7F of RFC 9110 `tchar`: ALPHA and ``^_`|~``.
    private static var tcharHigh: UInt64 { 0x57FF_FFFF_C7FF_FFFE }
    /// Bits 0x00–0x3F of the Host/authority alphabet: `-.`, DIGIT, sub-delims, `%` and `:`.
    private static var hostLow: UInt64 { 0x2FFF_7FF2_0000_0000 }
    /// Bits 0x40–0x7F of the Host/authority alphabet: ALPHA, `_~[]`.
    private static var hostHigh: UInt64 { 0x47FF_FFFE_AFFF_FFFE }

    /// Whether `byte` is in the 128-bit class given by `low` (0x00–0x3F) and `high` (0x40–0x7F).
    @inline(__always)
    private static func isIn(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 0x40 { return (low &>> UInt64(byte)) & 1 != 0 }
        if byte < 0x80 { return (high &>> UInt64(byte &- 0x40)) & 1 != 0 }
        return false
    }

    /// Whether `byte` may appear in a token (method, field name): RFC 9110 `tchar`.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        isIn(byte, low: tcharLow, high: tcharHigh)
    }

    /// Whether `byte` may appear in a `Host` value or an absolute-form authority: RFC 3986 reg-name,
    /// IP-literal and port characters (unreserved, sub-delims, `%`, `:`, `[`, `]`). Excludes `@` (userinfo),
    /// `/`, `?`, `#`, whitespace and everything outside ASCII.
    @inline(__always)
    static func isHostByte(_ byte: UInt8) -> Bool {
        isIn(byte, low: hostLow, high: hostHigh)
    }

    /// Whether `byte` may appear in a request-target: visible ASCII, 0x21–0x7E.
    @inline(__always)
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte &- 0x21 < 0x5E
    }

    /// Whether `byte` may appear in a field value: HTAB, SP, 0x21–0x7E and obs-text 0x80–0xFF.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte >= 0x20 ? byte != 0x7F : byte == 0x09
    }

    /// A mask that is non-zero iff one of the 8 bytes of `word` is a control byte (0x00–0x1F or 0x7F).
    ///
    /// Byte *n* of the input is bits 8n..<8n+8 (load little-endian). The lowest set bit is always in the
    /// first such byte, so `trailingZeroBitCount / 8` is its index; higher bits may be spurious (borrows),
    /// so only the first hit is meaningful.
    @inline(__always)
    static func controlBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        let delete = word ^ (ones &* 0x7F)
        let isDelete = (delete &- ones) & ~delete & highBits
        return belowSpace | isDelete
    }

    /// Whether `byte` is optional whitespace (SP or HTAB).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }

    /// Whether the `literal` bytes of `bytes` at `offset` equal `literal`, ignoring ASCII case.
    ///
    /// `literal` must consist of lowercase ASCII letters and `-`; `bytes` must hold at least as many bytes
    /// from `offset` (the caller checks). Folding is `| 0x20`: for a letter only its two cases match, for
    /// `-` (0x2D) only `-` and CR (0x0D), and callers never compare bytes that can be a CR.
    @inline(__always)
    static func equalsIgnoringCase(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, _ literal: StaticString
    ) -> Bool {
        let count = literal.utf8CodeUnitCount
        let lit = literal.utf8Start
        var k = 0
        while k < count {
            if bytes[offset &+ k] | 0x20 != lit[k] { return false }
            k &+= 1
        }
        return true
    }
}
