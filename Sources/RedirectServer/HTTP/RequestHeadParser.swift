import ShortLinkCore

/// A strict, allocation-free parser for HTTP/1.0 and HTTP/1.1 request heads (RFC 9112).
///
/// The parser is stateless: when it returns ``RequestHeadParseResult/incomplete``, call it again from the
/// start with the longer buffer. The work this repeats is bounded by ``RequestHeadLimits``.
///
/// Rules beyond the bare grammar (when in doubt the parser rejects):
/// - Lines end with CRLF only; a bare CR or LF anywhere in the head is malformed.
/// - Empty lines before the request line are skipped, counted in `headLength` and in the request-line limit.
/// - Exactly one SP between method, target and version; version exactly `HTTP/1.1` or `HTTP/1.0`.
/// - Targets are origin-form or `http`/`https` absolute-form, bytes 0x21–0x7E only (see ``RequestTarget``).
/// - No obs-fold, no whitespace before the colon, no control bytes but HTAB in field values.
/// - `Host`: exactly once in HTTP/1.1, at most once in HTTP/1.0, value made of RFC 3986 host/port
///   characters only (possibly empty).
/// - `Content-Length`: 1*DIGIT, repeated only with the same value, and 0; `Transfer-Encoding`: never.
/// - Other recognised headers that are repeated keep their last occurrence.
/// - An empty (all-whitespace) value is reported as a zero-length range at the offset of its CR.
/// - An empty buffer is `.incomplete`; limits below zero act as zero.
enum RequestHeadParser {
    /// Parses one request head from the start of `bytes`. `bytes` may hold more than one request (pipelining):
    /// only the first is parsed, and `headLength` says where the next one begins.
    ///
    /// Limits are enforced while scanning: a request line or header section that has crossed its limit is
    /// rejected at once, even if the head is not complete yet.
    static func parse(_ bytes: UnsafeRawBufferPointer, limits: RequestHeadLimits) -> RequestHeadParseResult {
        let count = bytes.count
        guard count > 0 else { return .incomplete }

        // MARK: Request line (with leading empty lines); every read stays below `lineBound`.
        let lineLimit = max(limits.maxRequestLineBytes, 0)
        let lineLimitReached = lineLimit <= count
        let lineBound = lineLimitReached ? lineLimit : count
        let lineExhausted: RequestHeadParseResult = lineLimitReached ? .invalid(.requestLineTooLong) : .incomplete

        var i = 0
        while true {
            guard i < lineBound else { return lineExhausted }
            guard bytes[i] == HTTPByte.cr else { break }
            guard i &+ 1 < lineBound else { return lineExhausted }
            guard bytes[i &+ 1] == HTTPByte.lf else { return .invalid(.malformed) }
            i &+= 2
        }

        // Method: a non-empty token, then exactly one SP.
        let methodStart = i
        while true {
            guard i < lineBound else { return lineExhausted }
            let byte = bytes[i]
            if byte == HTTPByte.space { break }
            guard HTTPByte.isTokenByte(byte) else { return .invalid(.malformed) }
            i &+= 1
        }
        let method: RequestHead.Method
        switch i &- methodStart {
        case 0:
            return .invalid(.malformed)
        case 3
        where bytes[methodStart] == UInt8(ascii: "G") && bytes[methodStart &+ 1] == UInt8(ascii: "E")
            && bytes[methodStart &+ 2] == UInt8(ascii: "T"):
            method = .get
        case 4
        where bytes[methodStart] == UInt8(ascii: "H") && bytes[methodStart &+ 1] == UInt8(ascii: "E")
            && bytes[methodStart &+ 2] == UInt8(ascii: "A") && bytes[methodStart &+ 3] == UInt8(ascii: "D"):
            method = .head
        default:
            method = .other
        }
        i &+= 1

        // Request-target: 0x21–0x7E up to exactly one SP.
        let targetStart = i
        var questionMark = -1
        var hashMark = -1
        while true {
            guard i < lineBound else { return lineExhausted }
            let byte = bytes[i]
            if byte == HTTPByte.space { break }
            guard HTTPByte.isTargetByte(byte) else { return .invalid(.malformed) }
            if byte == HTTPByte.question {
                if questionMark < 0 && hashMark < 0 { questionMark = i }
            } else if byte == HTTPByte.hash {
                if hashMark < 0 { hashMark = i }
            }
            i &+= 1
        }
        guard i > targetStart,
            let target = RequestTarget.parse(
                bytes, start: targetStart, end: i, questionMark: questionMark, hashMark: hashMark)
        else { return .invalid(.malformed) }
        i &+= 1

        // HTTP-version: exactly "HTTP/1.1" or "HTTP/1.0", then CRLF.
        let versionPrefix: StaticString = "HTTP/1."
        let versionBytes = versionPrefix.utf8Start
        var k = 0
        while k < versionPrefix.utf8CodeUnitCount {
            guard i < lineBound else { return lineExhausted }
            guard bytes[i] == versionBytes[k] else { return .invalid(.malformed) }
            i &+= 1
            k &+= 1
        }
        guard i < lineBound else { return lineExhausted }
        let minorVersion = bytes[i]
        guard minorVersion == UInt8(ascii: "1") || minorVersion == UInt8(ascii: "0") else {
            return .invalid(.malformed)
        }
        let isHTTP11 = minorVersion == UInt8(ascii: "1")
        i &+= 1
        guard i < lineBound else { return lineExhausted }
        guard bytes[i] == HTTPByte.cr else { return .invalid(.malformed) }
        i &+= 1
        guard i < lineBound else { return lineExhausted }
        guard bytes[i] == HTTPByte.lf else { return .invalid(.malformed) }
        i &+= 1

        // MARK: Header section; every read stays below `headerBound`.
        let headerLimit = max(limits.maxHeaderBytes, 0)
        let headerLimitReached = headerLimit <= count &- i
        let headerBound = headerLimitReached ? i &+ headerLimit : count
        let headerExhausted: RequestHeadParseResult = headerLimitReached ? .invalid(.headersTooLarge) : .incomplete
        let maxHeaderCount = limits.maxHeaderCount

        var headerCount = 0
        var host: ByteRange?
        var captured = CapturedHeaders<ByteRange>()
        var forwardedFor: ByteRange?
        var forwarded: ByteRange?
        var contentLength: Int?
        var connectionClose = false
        var connectionKeepAlive = false

        while true {
            guard i < headerBound else { return headerExhausted }
            if bytes[i] == HTTPByte.cr {
                // The empty line that ends the head.
                guard i &+ 1 < headerBound else { return headerExhausted }
                guard bytes[i &+ 1] == HTTPByte.lf else { return .invalid(.malformed) }
                i &+= 2
                break
            }
            guard headerCount < maxHeaderCount else { return .invalid(.headersTooLarge) }
            headerCount &+= 1

            // field-name: a non-empty token directly followed by ':' (this also rejects obs-fold,
            // whitespace before the colon, and bare CR/LF).
            let nameStart = i
            while true {
                guard i < headerBound else { return headerExhausted }
                let byte = bytes[i]
                if byte == HTTPByte.colon { break }
                guard HTTPByte.isTokenByte(byte) else { return .invalid(.malformed) }
                i &+= 1
            }
            let nameCount = i &- nameStart
            guard nameCount > 0 else { return .invalid(.malformed) }
            i &+= 1

            // OWS field-value OWS CRLF
            while true {
                guard i < headerBound else { return headerExhausted }
                guard HTTPByte.isWhitespace(bytes[i]) else { break }
                i &+= 1
            }
            let valueStart = i
            while true {
                // Skip 8 bytes at a time while none of them is a control byte (the CR ends the value),
                // then look at the first candidate byte by byte.
                while i &+ 8 <= headerBound {
                    let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                    let candidates = HTTPByte.controlBytes(in: word)
                    if candidates != 0 {
                        i &+= candidates.trailingZeroBitCount &>> 3
                        break
                    }
                    i &+= 8
                }
                guard i < headerBound else { return headerExhausted }
                let byte = bytes[i]
                if byte == HTTPByte.cr { break }
                guard HTTPByte.isFieldValueByte(byte) else { return .invalid(.malformed) }
                i &+= 1
            }
            var valueEnd = i
            while valueEnd > valueStart && HTTPByte.isWhitespace(bytes[valueEnd &- 1]) { valueEnd &-= 1 }
            guard i &+ 1 < headerBound else { return headerExhausted }
            guard bytes[i &+ 1] == HTTPByte.lf else { return .invalid(.malformed) }
            i &+= 2

            guard let field = KnownHeaderField(name: bytes, start: nameStart, count: nameCount) else { continue }
            let value = ByteRange(start: valueStart, count: valueEnd &- valueStart)
            switch field {
            case .host:
                guard host == nil, isValidHost(bytes, value) else { return .invalid(.malformed) }
                host = value
            case .captured(let header): captured[header] = value
            case .forwardedFor: forwardedFor = value
            case .forwarded: forwarded = value
            case .connection:
                scanConnectionOptions(bytes, value, close: &connectionClose, keepAlive: &connectionKeepAlive)
            case .contentLength:
                guard let length = parseContentLength(bytes, value) else { return .invalid(.malformed) }
                if let previous = contentLength, previous != length { return .invalid(.malformed) }
                guard length == 0 else { return .invalid(.bodyNotAllowed) }
                contentLength = length
            case .transferEncoding:
                return .invalid(.bodyNotAllowed)
            }
        }

        if isHTTP11 && host == nil { return .invalid(.malformed) }

        return .complete(
            RequestHead(
                method: method,
                isHTTP11: isHTTP11,
                path: target.path,
                query: target.query,
                keepAlive: isHTTP11 ? !connectionClose : connectionKeepAlive && !connectionClose,
                headLength: i,
                host: host,
                captured: captured,
                forwardedFor: forwardedFor,
                forwarded: forwarded,
                authority: target.authority
            ))
    }

    /// Whether a `Host` value contains only RFC 3986 host and port characters (an empty value is accepted).
    @inline(__always)
    private static func isValidHost(_ bytes: UnsafeRawBufferPointer, _ value: ByteRange) -> Bool {
        var i = value.start
        let end = value.end
        while i < end {
            guard HTTPByte.isHostByte(bytes[i]) else { return false }
            i &+= 1
        }
        return true
    }

    /// Parses a `Content-Length` value: 1*DIGIT without overflow, or `nil`.
    @inline(__always)
    private static func parseContentLength(_ bytes: UnsafeRawBufferPointer, _ value: ByteRange) -> Int? {
        guard value.count > 0 else { return nil }
        var result = 0
        var i = value.start
        let end = value.end
        while i < end {
            let digit = bytes[i] &- HTTPByte.zero
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit))
            guard !overflow1 && !overflow2 else { return nil }
            result = sum
            i &+= 1
        }
        return result
    }

    /// Scans a `Connection` value for the `close` and `keep-alive` options (comma-separated,
    /// case-insensitive, OWS-trimmed; empty list elements are ignored).
    @inline(__always)
    private static func scanConnectionOptions(
        _ bytes: UnsafeRawBufferPointer, _ value: ByteRange, close: inout Bool, keepAlive: inout Bool
    ) {
        var i = value.start
        let end = value.end
        while i < end {
            let byte = bytes[i]
            if byte == HTTPByte.comma || HTTPByte.isWhitespace(byte) {
                i &+= 1
                continue
            }
            let tokenStart = i
            while i < end && bytes[i] != HTTPByte.comma { i &+= 1 }
            var tokenEnd = i
            while tokenEnd > tokenStart && HTTPByte.isWhitespace(bytes[tokenEnd &- 1]) { tokenEnd &-= 1 }
            switch tokenEnd &- tokenStart {
            case 5 where HTTPByte.equalsIgnoringCase(bytes, at: tokenStart, "close"):
                close = true
            case 10 where HTTPByte.equalsIgnoringCase(bytes, at: tokenStart, "keep-alive"):
                keepAlive = true
            default:
                break
            }
        }
    }
}
