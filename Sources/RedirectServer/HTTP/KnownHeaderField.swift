import ShortLinkCore

/// The header fields the parser acts on. Every other field is validated and skipped.
enum KnownHeaderField: Hashable, Sendable {
    /// `Host`.
    case host
    /// A header captured with the click (the list is ``CapturedHeader``).
    case captured(CapturedHeader)
    /// `X-Forwarded-For`.
    case forwardedFor
    /// `Forwarded`.
    case forwarded
    /// `Connection`.
    case connection
    /// `Content-Length`.
    case contentLength
    /// `Transfer-Encoding`.
    case transferEncoding

    /// Recognises the field name at `start..<start+count` of `bytes`, ignoring ASCII case.
    ///
    /// The name must already be known to be a valid token (so `| 0x20` folding is exact). Dispatches on
    /// length and first letter, then compares the rest; no strings are built. The names of the
    /// ``CapturedHeader`` cases are spelled out here for speed; a test checks that each
    /// `CapturedHeader.name` is recognised as that header.
    @inline(__always)
    init?(name bytes: UnsafeRawBufferPointer, start: Int, count: Int) {
        let first = bytes[start] | 0x20
        let rest = start &+ 1
        switch count {
        case 4:
            guard first == UInt8(ascii: "h"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ost") else { return nil }
            self = .host
        case 5:
            guard first == UInt8(ascii: "x"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "-moz") else { return nil }
            self = .captured(.xMoz)
        case 7:
            if first == UInt8(ascii: "r"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "eferer") {
                self = .captured(.referer)
            } else if first == UInt8(ascii: "p"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "urpose") {
                self = .captured(.purpose)
            } else {
                return nil
            }
        case 9:
            if first == UInt8(ascii: "x"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "-purpose") {
                self = .captured(.xPurpose)
            } else if first == UInt8(ascii: "f"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "orwarded") {
                self = .forwarded
            } else {
                return nil
            }
        case 10:
            if first == UInt8(ascii: "u"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ser-agent") {
                self = .captured(.userAgent)
            } else if first == UInt8(ascii: "c"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "onnection") {
                self = .connection
            } else {
                return nil
            }
        case 11:
            guard first == UInt8(ascii: "s"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ec-purpose") else {
                return nil
            }
            self = .captured(.secPurpose)
        case 14:
            guard first == UInt8(ascii: "c"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ontent-length") else {
                return nil
            }
            self = .contentLength
        case 15:
            if first == UInt8(ascii: "a"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ccept-language") {
                self = .captured(.acceptLanguage)
            } else if first == UInt8(ascii: "x"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "-forwarded-for") {
                self = .forwardedFor
            } else {
                return nil
            }
        case 17:
            guard first == UInt8(ascii: "t"), HTTPByte.equalsIgnoringCase(bytes, at: rest, "ransfer-encoding") else {
                return nil
            }
            self = .transferEncoding
        default:
            return nil
        }
    }
}
