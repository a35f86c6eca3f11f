public import NIOCore

/// A small incremental HTTP/1.1 response reader for redirect answers: status, `Location`
/// (only when asked for), `Connection: close`, and a `Content-Length` body that it skips.
/// Chunked bodies are refused: a redirect server has no reason to send one.
public struct ResponseParser: Sendable {
    /// One complete response.
    public struct Response: Sendable, Equatable {
        /// The status code.
        public var status: Int
        /// The `Location` value, when the parser was asked to keep it.
        public var location: String?
        /// The server will close the connection after this response.
        public var closes: Bool
    }

    /// Why a response could not be read.
    public enum Failure: Error, Sendable, Equatable {
        /// Not an HTTP/1.x status line or header block.
        case malformed
        /// `Transfer-Encoding` (chunked) bodies are not supported.
        case chunkedBody
        /// The head is larger than 64 KiB.
        case headTooLarge
    }

    /// Keep the `Location` header's value (the churn scenario compares it).
    public var keepsLocation: Bool
    private var pending: Response?
    private var bodyRemaining = 0

    /// - Parameter keepsLocation: decode `Location` into each response (default false: no allocation).
    public init(keepsLocation: Bool = false) { self.keepsLocation = keepsLocation }

    /// Reads the next complete response from the front of `buffer`, consuming its bytes;
    /// `nil` when more bytes are needed.
    /// - Parameters:
    ///   - buffer: what has been received and not yet consumed.
    ///   - requestWasHead: the response answers a HEAD request (no body follows).
    public mutating func next(_ buffer: inout ByteBuffer, requestWasHead: Bool) throws(Failure) -> Response? {
        if pending == nil {
            guard let headLength = Self.headLength(buffer) else {
                if buffer.readableBytes > 65536 { throw .headTooLarge }
                return nil
            }
            let (response, contentLength) = try parseHead(buffer, length: headLength)
            buffer.moveReaderIndex(forwardBy: headLength)
            pending = response
            let noBody = requestWasHead || response.status < 200 || response.status == 204 || response.status == 304
            bodyRemaining = noBody ? 0 : contentLength
        }
        let skipped = min(bodyRemaining, buffer.readableBytes)
        buffer.moveReaderIndex(forwardBy: skipped)
        bodyRemaining -= skipped
        guard bodyRemaining == 0, let response = pending else { return nil }
        pending = nil
        return response
    }

    /// The length of the head including the blank line, or `nil` if it is not complete.
    private static func headLength(_ buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { bytes -> Int? in
            var i = 3
            while i < bytes.count {
                if bytes[i] == 0x0A && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A && bytes[i - 3] == 0x0D { return i + 1 }
                i += 1
            }
            return nil
        }
    }

    private func parseHead(_ buffer: ByteBuffer, length: Int) throws(Failure) -> (Response, Int) {
        let keepLocation = keepsLocation
        let result: Result<(Response, Int), Failure> = buffer.withUnsafeReadableBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[0..<length])
            // "HTTP/1.x SSS"
            guard bytes.count >= 12, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50,
                bytes[4] == 0x2F, bytes[5] == 0x31, bytes[6] == 0x2E, bytes[8] == 0x20
            else { return .failure(.malformed) }
            var status = 0
            for k in 9..<12 {
                let digit = bytes[k] &- 0x30
                guard digit <= 9 else { return .failure(.malformed) }
                status = status * 10 + Int(digit)
            }
            var response = Response(status: status, location: nil, closes: bytes[7] == 0x30)
            var contentLength = 0
            var lineStart = Self.indexAfterCRLF(bytes, from: 12)
            while lineStart < bytes.count - 2 {
                let lineEnd = Self.indexOfCR(bytes, from: lineStart)
                guard let colon = Self.index(of: 0x3A, in: bytes, from: lineStart, to: lineEnd) else { return .failure(.malformed) }
                var valueStart = colon + 1
                while valueStart < lineEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
                var valueEnd = lineEnd
                while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
                let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd])
                switch colon - lineStart {
                case 14 where Self.nameEquals(bytes, lineStart, "content-length"):
                    var number = 0
                    for byte in value {
                        let digit = byte &- 0x30
                        guard digit <= 9, number < 1 << 40 else { return .failure(.malformed) }
                        number = number * 10 + Int(digit)
                    }
                    contentLength = number
                case 17 where Self.nameEquals(bytes, lineStart, "transfer-encoding"):
                    return .failure(.chunkedBody)
                case 10 where Self.nameEquals(bytes, lineStart, "connection"):
                    let text = String(decoding: value, as: UTF8.self).lowercased()
                    if text.contains("close") { response.closes = true }
                    if text.contains("keep-alive") { response.closes = false }
                case 8 where keepLocation && Self.nameEquals(bytes, lineStart, "location"):
                    response.location = String(decoding: value, as: UTF8.self)
                default:
                    break
                }
                lineStart = lineEnd + 2
            }
            return .success((response, contentLength))
        }
        return try result.get()
    }

    private static func indexAfterCRLF(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        indexOfCR(bytes, from: start) + 2
    }

    private static func indexOfCR(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < bytes.count, bytes[i] != 0x0D { i += 1 }
        return i
    }

    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var i = start
        while i < end {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    /// Case-insensitive comparison of a header name with a lowercase ASCII name.
    private static func nameEquals(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ name: StaticString) -> Bool {
        let count = name.utf8CodeUnitCount
        let expected = name.utf8Start
        for k in 0..<count where bytes[start + k] | 0x20 != expected[k] {
            // '-' (0x2D) | 0x20 is itself, so the OR trick holds for the names used here.
            return false
        }
        return true
    }
}
