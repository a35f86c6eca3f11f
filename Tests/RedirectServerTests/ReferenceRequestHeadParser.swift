import ShortLinkCore

@testable import RedirectServer

/// A slow, deliberately different (split-into-lines, allocate freely) model of the parsing rules, used as an
/// oracle by the property tests: the production parser must return `.complete(h)` exactly when this model
/// returns `h`.
enum ReferenceRequestHeadParser {
    private static let cr: UInt8 = 13
    private static let lf: UInt8 = 10
    private static let tokenBytes = Set(Alphabet.token)
    private static let hostBytes = Set(Alphabet.host)

    /// The head that a complete, valid request at the start of `bytes` has, or nil when there is none.
    static func completeHead(_ bytes: [UInt8], limits: RequestHeadLimits = RequestHeadLimits()) -> RequestHead? {
        var position = 0
        while position + 1 < bytes.count, bytes[position] == cr, bytes[position + 1] == lf { position += 2 }

        guard let requestLineEnd = crlf(in: bytes, from: position),
            requestLineEnd + 2 <= limits.maxRequestLineBytes
        else { return nil }
        guard var head = requestLine(bytes, from: position, to: requestLineEnd) else { return nil }
        position = requestLineEnd + 2

        let headerStart = position
        var lines: [(start: Int, end: Int)] = []
        while true {
            guard let end = crlf(in: bytes, from: position) else { return nil }
            if end == position { break }
            lines.append((position, end))
            position = end + 2
        }
        head.headLength = position + 2
        guard head.headLength - headerStart <= limits.maxHeaderBytes, lines.count <= limits.maxHeaderCount else {
            return nil
        }

        var hostCount = 0
        var contentLengths: [Int] = []
        var close = false
        var keepAlive = false
        for (start, end) in lines {
            guard let colon = bytes[start..<end].firstIndex(of: UInt8(ascii: ":")), colon > start,
                bytes[start..<colon].allSatisfy(tokenBytes.contains),
                bytes[(colon + 1)..<end].allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) })
            else { return nil }
            var valueStart = colon + 1
            var valueEnd = end
            while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 9 { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 9 { valueEnd -= 1 }
            let value = ByteRange(start: valueStart, count: valueEnd - valueStart)
            let valueBytes = Array(bytes[valueStart..<valueEnd])
            switch String(decoding: bytes[start..<colon], as: UTF8.self).lowercased() {
            case "host":
                hostCount += 1
                guard valueBytes.allSatisfy(hostBytes.contains) else { return nil }
                head.host = value
            case "user-agent": head.captured[.userAgent] = value
            case "referer": head.captured[.referer] = value
            case "accept-language": head.captured[.acceptLanguage] = value
            case "sec-purpose": head.captured[.secPurpose] = value
            case "purpose": head.captured[.purpose] = value
            case "x-purpose": head.captured[.xPurpose] = value
            case "x-moz": head.captured[.xMoz] = value
            case "x-forwarded-for": head.forwardedFor = value
            case "forwarded": head.forwarded = value
            case "transfer-encoding": return nil
            case "content-length":
                guard !valueBytes.isEmpty, valueBytes.allSatisfy({ (0x30...0x39).contains($0) }),
                    let length = Int(String(decoding: valueBytes, as: UTF8.self))
                else { return nil }
                contentLengths.append(length)
            case "connection":
                // ASCII-only case folding: Unicode lowercasing could turn e.g. U+212A KELVIN SIGN into "k".
                for option in valueBytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                    var folded = option.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
                    while let first = folded.first, first == 0x20 || first == 9 { folded.removeFirst() }
                    while let last = folded.last, last == 0x20 || last == 9 { folded.removeLast() }
                    if folded == Array("close".utf8) { close = true }
                    if folded == Array("keep-alive".utf8) { keepAlive = true }
                }
            default: break
            }
        }
        guard hostCount <= 1, hostCount == 1 || !head.isHTTP11 else { return nil }
        guard contentLengths.allSatisfy({ $0 == 0 }) else { return nil }
        head.keepAlive = head.isHTTP11 ? !close : keepAlive && !close
        return head
    }

    /// Offset of the first CR that is followed by LF, at or after `from`.
    private static func crlf(in bytes: [UInt8], from: Int) -> Int? {
        var index = from
        while index + 1 < bytes.count {
            if bytes[index] == cr && bytes[index + 1] == lf { return index }
            index += 1
        }
        return nil
    }

    /// Parses the request line at `from..<to` (without CRLF) into a head with default header fields.
    private static func requestLine(_ bytes: [UInt8], from: Int, to: Int) -> RequestHead? {
        let parts = bytes[from..<to].split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        let (methodBytes, targetBytes, versionBytes) = (parts[0], parts[1], parts[2])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(tokenBytes.contains) else { return nil }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        let version = String(decoding: versionBytes, as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return nil }
        let methodText = String(decoding: methodBytes, as: UTF8.self)
        let method: RequestHead.Method = methodText == "GET" ? .get : methodText == "HEAD" ? .head : .other

        // Fragment first, then query, then the (absolute-form) authority.
        let targetStart = targetBytes.startIndex
        let fragment = targetBytes.firstIndex(of: UInt8(ascii: "#")) ?? targetBytes.endIndex
        let beforeFragment = targetBytes[targetStart..<fragment]
        let questionMark = beforeFragment.firstIndex(of: UInt8(ascii: "?"))
        let query = questionMark.map { ByteRange(start: $0 + 1, count: fragment - $0 - 1) }
        let pathEnd = questionMark ?? fragment
        var pathStart = targetStart
        var authority: ByteRange?
        if targetBytes.first != UInt8(ascii: "/") {
            let text = String(decoding: targetBytes, as: UTF8.self).lowercased()
            let schemeLength = text.hasPrefix("http://") ? 7 : text.hasPrefix("https://") ? 8 : 0
            guard schemeLength > 0 else { return nil }
            let authorityStart = targetStart + schemeLength
            guard authorityStart <= pathEnd else { return nil }
            let authorityEnd = bytes[authorityStart..<pathEnd].firstIndex(of: UInt8(ascii: "/")) ?? pathEnd
            guard authorityEnd > authorityStart, bytes[authorityStart..<authorityEnd].allSatisfy(hostBytes.contains)
            else { return nil }
            authority = ByteRange(start: authorityStart, count: authorityEnd - authorityStart)
            pathStart = authorityEnd
        }
        return RequestHead(
            method: method, isHTTP11: version == "HTTP/1.1", path: ByteRange(start: pathStart, count: pathEnd - pathStart),
            query: query, keepAlive: false, headLength: 0, authority: authority)
    }
}
