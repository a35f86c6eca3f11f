import NIOCore

/// A fixed response (404, 405, health, robots…), encoded once in every variant the edge
/// may send, so answering it is one buffer write.
struct StaticResponse {
    /// Variants indexed by `[mode.rawValue * 2 + (isHead ? 1 : 0)]`.
    private let variants: [ByteBuffer]

    /// Encodes a response.
    /// - Parameters:
    ///   - status: the status line after `HTTP/1.1 `, e.g. `404 Not Found`.
    ///   - headers: extra header lines, each ending in CRLF.
    ///   - body: the body (also sized in `Content-Length` for HEAD, which omits it).
    ///   - contentType: the body's media type.
    init(status: String, headers: String = "", body: String, contentType: String = "text/plain; charset=utf-8") {
        var variants: [ByteBuffer] = []
        for mode in HTTPConnectionMode.allCases {
            for isHead in [false, true] {
                let head =
                    "HTTP/1.1 \(status)\r\n\(headers)Content-Type: \(contentType)\r\n"
                    + "Cache-Control: private, max-age=0\r\nContent-Length: \(body.utf8.count)\r\n"
                    + mode.headerLine + "\r\n"
                variants.append(ByteBuffer(string: isHead ? head : head + body))
            }
        }
        self.variants = variants
    }

    /// The bytes to write.
    /// - Parameters:
    ///   - mode: the connection mode of the request.
    ///   - isHead: whether the request was HEAD (no body).
    func bytes(mode: HTTPConnectionMode, isHead: Bool) -> ByteBuffer {
        variants[mode.rawValue &* 2 &+ (isHead ? 1 : 0)]
    }
}

/// Every fixed response the edge sends.
struct StaticResponses {
    let notFound = StaticResponse(status: "404 Not Found", body: "Not Found\n")
    let gone = StaticResponse(status: "410 Gone", body: "This link has expired.\n")
    let methodNotAllowed = StaticResponse(status: "405 Method Not Allowed", headers: "Allow: GET, HEAD\r\n", body: "Method Not Allowed\n")
    let badRequest = StaticResponse(status: "400 Bad Request", body: "Bad Request\n")
    let uriTooLong = StaticResponse(status: "414 URI Too Long", body: "URI Too Long\n")
    let headersTooLarge = StaticResponse(status: "431 Request Header Fields Too Large", body: "Request Header Fields Too Large\n")
    let health = StaticResponse(status: "200 OK", body: "ok\n")
    let robots: StaticResponse

    /// Encodes the fixed responses.
    /// - Parameter robotsTxt: the body of `/robots.txt`.
    init(robotsTxt: String) {
        robots = StaticResponse(status: "200 OK", body: robotsTxt)
    }

    /// The response for a request that could not be parsed; always closes.
    func response(for error: RequestHeadError) -> ByteBuffer {
        switch error {
        case .malformed, .bodyNotAllowed: badRequest.bytes(mode: .close, isHead: false)
        case .requestLineTooLong: uriTooLong.bytes(mode: .close, isHead: false)
        case .headersTooLarge: headersTooLarge.bytes(mode: .close, isHead: false)
        }
    }
}
