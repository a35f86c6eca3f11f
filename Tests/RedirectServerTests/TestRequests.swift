import ShortLinkCore
import ShortLinkTesting

@testable import RedirectServer

// MARK: - Parsing helpers

/// Parses raw bytes with the given limits.
func parseBytes(_ bytes: [UInt8], limits: RequestHeadLimits = RequestHeadLimits()) -> RequestHeadParseResult {
    bytes.withUnsafeBytes { RequestHeadParser.parse($0, limits: limits) }
}

/// The bytes of `text` (UTF-8), so tests can write requests as string literals.
func bytesOf(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A parse of a string literal, with accessors that turn ranges back into text.
struct ParsedRequest {
    /// The bytes that were parsed.
    let bytes: [UInt8]
    /// What the parser returned.
    let result: RequestHeadParseResult

    init(_ text: String, limits: RequestHeadLimits = RequestHeadLimits()) {
        self.init(bytes: bytesOf(text), limits: limits)
    }

    init(bytes: [UInt8], limits: RequestHeadLimits = RequestHeadLimits()) {
        self.bytes = bytes
        self.result = parseBytes(bytes, limits: limits)
    }

    /// The head if the result is `.complete`.
    var head: RequestHead? {
        if case .complete(let head) = result { return head }
        return nil
    }

    /// The bytes of `range`, via the production `UnsafeRawBufferPointer[ByteRange]` subscript.
    func slice(_ range: ByteRange?) -> [UInt8]? {
        guard let range else { return nil }
        return bytes.withUnsafeBytes { Array($0[range]) }
    }

    /// The text of `range` (lossy UTF-8), or nil.
    func text(_ range: ByteRange?) -> String? {
        slice(range).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The text of a header or target field of the parsed head.
    func text(_ field: KeyPath<RequestHead, ByteRange?>) -> String? {
        head.flatMap { text($0[keyPath: field]) }
    }
}

/// Wraps header lines (each without CRLF) into an HTTP/1.1 GET request for `/`.
func request(_ headerLines: String..., version: String = "HTTP/1.1", target: String = "/") -> String {
    var text = "GET \(target) \(version)\r\n"
    for line in headerLines { text += line + "\r\n" }
    return text + "\r\n"
}

/// The `RequestHead` key path that holds a recognised header's value (nil for the ones not stored).
func storedField(_ field: KnownHeaderField) -> KeyPath<RequestHead, ByteRange?>? {
    switch field {
    case .host: \.host
    case .captured(let header): \.captured[header]
    case .forwardedFor: \.forwardedFor
    case .forwarded: \.forwarded
    case .connection, .contentLength, .transferEncoding: nil
    }
}

/// The stored header fields with their canonical names; the captured ones come from
/// `CapturedHeader.name`, so a captured header the parser does not recognise fails the tests.
let storedHeaderNames: [(name: String, field: KnownHeaderField)] =
    [("Host", .host)] + CapturedHeader.allCases.map { ($0.name, KnownHeaderField.captured($0)) } + [
        ("X-Forwarded-For", .forwardedFor), ("Forwarded", .forwarded),
    ]

/// Every range of a head, for bounds checks.
func allRanges(of head: RequestHead) -> [ByteRange] {
    let optional =
        [head.query, head.host, head.forwardedFor, head.forwarded, head.authority]
        + CapturedHeader.allCases.map { head.captured[$0] }
    return [head.path] + optional.compactMap { $0 }
}

// MARK: - Alphabets

/// Helpers that build byte alphabets from the grammar.
enum Alphabet {
    static let visible: [UInt8] = Array(0x21...0x7E)
    static let token: [UInt8] = Array("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    static let host: [UInt8] = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%:[]".utf8)
    static let path: [UInt8] = visible.filter { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
    static let query: [UInt8] = visible.filter { $0 != UInt8(ascii: "#") }
    /// Field-value bytes that are not whitespace (0x21–0x7E and obs-text).
    static let fieldVisible: [UInt8] = visible + Array(0x80...0xFF)
    static let whitespace: [UInt8] = [0x20, 0x09]
}

// MARK: - Valid request generator

/// A random valid request together with what the parser must report for it.
struct GeneratedRequest {
    var bytes: [UInt8] = []
    var method: RequestHead.Method = .get
    var isHTTP11 = true
    var path: [UInt8] = []
    var query: [UInt8]?
    var authority: [UInt8]?
    var keepAlive = true
    /// Expected (trimmed) values of stored headers; last occurrence wins.
    var fields: [KnownHeaderField: [UInt8]] = [:]
    /// Leading empty lines plus the request line, including its CRLF.
    var requestLineLength = 0
    /// Header lines plus the final CRLF.
    var headerSectionLength = 0
    /// Number of header lines.
    var headerCount = 0

    /// Compares a parsed head (from a buffer in which this request starts at `offset`) with the expectation;
    /// returns a description of the first mismatch, or nil.
    func mismatch(in head: RequestHead, buffer: [UInt8], offset: Int = 0) -> String? {
        func slice(_ range: ByteRange?) -> [UInt8]? {
            guard let range else { return nil }
            guard range.start >= offset, range.count >= 0, range.end <= offset + bytes.count else { return "<out of bounds>".utf8.map { $0 } }
            return Array(buffer[range.start..<range.end])
        }
        if head.method != method { return "method \(head.method) != \(method)" }
        if head.isHTTP11 != isHTTP11 { return "isHTTP11" }
        if head.headLength != offset + bytes.count { return "headLength \(head.headLength) != \(offset + bytes.count)" }
        if slice(head.path) != path { return "path" }
        if slice(head.query) != query { return "query" }
        if slice(head.authority) != authority { return "authority" }
        if head.keepAlive != keepAlive { return "keepAlive" }
        for (_, field) in storedHeaderNames {
            if slice(head[keyPath: storedField(field)!]) != fields[field] { return "header \(field)" }
        }
        return nil
    }
}

/// Generates random valid requests from a seed.
struct RequestGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// Randomly upper/lower-cases each letter of `name`.
    mutating func randomCase(_ name: String) -> [UInt8] {
        name.utf8.map { byte in
            let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            guard isLetter, rng.chance(50) else { return byte }
            return byte ^ 0x20
        }
    }

    mutating func ows() -> [UInt8] {
        rng.pick([[], [], [0x20], [0x09], [0x20, 0x20], [0x20, 0x09, 0x20]])
    }

    /// A field value that starts and ends with a non-whitespace byte (or is empty).
    mutating func fieldValue(maxCount: Int = 40) -> [UInt8] {
        let count = rng.int(in: 0...maxCount)
        if count == 0 { return [] }
        var value = rng.string(from: Alphabet.fieldVisible, count: count)
        if count > 2 {
            for index in 1..<(count - 1) where rng.chance(10) { value[index] = rng.pick(Alphabet.whitespace) }
        }
        return value
    }

    mutating func method() -> ([UInt8], RequestHead.Method) {
        let bytes: [UInt8] =
            switch rng.int(in: 0...5) {
            case 0, 1: Array("GET".utf8)
            case 2: Array("HEAD".utf8)
            case 3: Array(rng.pick(["POST", "get", "Head", "OPTIONS", "M-SEARCH", "GETS", "HEADS"]).utf8)
            default: rng.string(from: Alphabet.token, count: rng.int(in: 1...8))
            }
        let method: RequestHead.Method =
            bytes == Array("GET".utf8) ? .get : bytes == Array("HEAD".utf8) ? .head : .other
        return (bytes, method)
    }

    /// A request target and the path, query and authority the parser must report for it.
    mutating func target() -> (bytes: [UInt8], path: [UInt8], query: [UInt8]?, authority: [UInt8]?) {
        var bytes: [UInt8] = []
        var authority: [UInt8]?
        var hasPath = true
        if rng.chance(20) {
            bytes += randomCase(rng.chance(50) ? "http://" : "https://")
            let host = rng.string(from: Alphabet.host, count: rng.int(in: 1...20))
            bytes += host
            authority = host
            hasPath = rng.chance(70)
        }
        var path: [UInt8] = []
        if hasPath {
            path = [UInt8(ascii: "/")] + rng.string(from: Alphabet.path, count: rng.int(in: 0...30))
            bytes += path
        }
        var query: [UInt8]?
        if rng.chance(40) {
            let q = rng.string(from: Alphabet.query, count: rng.int(in: 0...30))
            query = q
            bytes += [UInt8(ascii: "?")] + q
        }
        if rng.chance(10) {
            bytes += [UInt8(ascii: "#")] + rng.string(from: Alphabet.visible, count: rng.int(in: 0...10))
        }
        return (bytes, path, query, authority)
    }

    /// A `Connection` value and whether it lists close / keep-alive.
    mutating func connectionValue() -> (value: [UInt8], close: Bool, keepAlive: Bool) {
        var value: [UInt8] = []
        var close = false
        var keepAlive = false
        for index in 0..<rng.int(in: 1...3) {
            if index > 0 { value += [UInt8(ascii: ",")] + ows() }
            let option = rng.pick(["close", "keep-alive", "upgrade", "te", "", "closed", "keep-alive2"])
            if option == "close" { close = true }
            if option == "keep-alive" { keepAlive = true }
            value += randomCase(option)
            if rng.chance(30) { value += ows() }
        }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        return (value, close, keepAlive)
    }

    /// A random valid request.
    mutating func next() -> GeneratedRequest {
        var request = GeneratedRequest()
        let leadingEmptyLines = rng.chance(10) ? rng.int(in: 1...3) : 0
        var line: [UInt8] = Array(repeating: [0x0D, 0x0A], count: leadingEmptyLines).flatMap { $0 }
        let (methodBytes, method) = self.method()
        request.method = method
        let target = self.target()
        request.path = target.path
        request.query = target.query
        request.authority = target.authority
        request.isHTTP11 = rng.chance(75)
        line += methodBytes + [0x20] + target.bytes + [0x20] + Array((request.isHTTP11 ? "HTTP/1.1" : "HTTP/1.0").utf8)
        line += [0x0D, 0x0A]
        request.requestLineLength = line.count

        // Header lines: (name, value) pairs, shuffled later.
        var headers: [(name: [UInt8], value: [UInt8])] = []
        if request.isHTTP11 || rng.chance(50) {
            let host = rng.string(from: Alphabet.host, count: rng.int(in: 0...20))
            headers.append((randomCase("Host"), host))
        }
        for (name, field) in storedHeaderNames where field != .host {
            let occurrences = rng.chance(40) ? (rng.chance(85) ? 1 : 2) : 0
            for _ in 0..<occurrences { headers.append((randomCase(name), fieldValue())) }
        }
        var close = false
        var keepAlive = false
        for _ in 0..<(rng.chance(40) ? rng.int(in: 1...2) : 0) {
            let connection = connectionValue()
            close = close || connection.close
            keepAlive = keepAlive || connection.keepAlive
            headers.append((randomCase("Connection"), connection.value))
        }
        request.keepAlive = request.isHTTP11 ? !close : keepAlive && !close
        if rng.chance(15) {
            let zeros = Array(repeating: UInt8(ascii: "0"), count: rng.int(in: 1...3))
            for _ in 0..<rng.int(in: 1...2) { headers.append((randomCase("Content-Length"), zeros)) }
        }
        // Unrecognised headers, including near misses of recognised names.
        let others = [
            "Accept", "Cookie", "Cache-Control", "X-Custom", "Hosts", "Hast", "X-Mox", "Referrer", "Referex",
            "Purposes", "X-Forwarded-Fox", "Connectiom", "Content-Lengtx", "Transfer-Encodinx", "Sec-Purposf", "a",
        ]
        for _ in 0..<rng.int(in: 0...4) { headers.append((randomCase(rng.pick(others)), fieldValue())) }

        // Shuffle (Fisher–Yates with our own generator), then record expectations in final order.
        if headers.count > 1 {
            for index in stride(from: headers.count - 1, to: 0, by: -1) {
                headers.swapAt(index, rng.int(in: 0...index))
            }
        }
        var section: [UInt8] = []
        for (name, value) in headers {
            section += name + [UInt8(ascii: ":")] + ows() + value + ows() + [0x0D, 0x0A]
            let lowered = String(decoding: name, as: UTF8.self).lowercased()
            if let field = storedHeaderNames.first(where: { $0.name.lowercased() == lowered })?.field {
                request.fields[field] = value
            }
        }
        section += [0x0D, 0x0A]
        request.headerCount = headers.count
        request.headerSectionLength = section.count
        request.bytes = line + section
        return request
    }
}
