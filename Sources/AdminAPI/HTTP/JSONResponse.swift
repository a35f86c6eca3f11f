import Hummingbird
import NIOCore

/// Builds the API's responses: compact UTF-8 JSON with the right content type.
enum JSONResponse {
    /// A JSON response.
    /// - Parameters:
    ///   - value: the document.
    ///   - status: default 200.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        body(value.serialized, status: status, contentType: "application/json")
    }

    /// A problem+json response for an error.
    /// - Parameter error: the error.
    static func problem(_ error: APIError) -> Response {
        var response = body(error.problem.serialized, status: error.status, contentType: "application/problem+json")
        if error.status == .unauthorized {
            let reason = error.code == .missingCredentials ? "" : ", error=\"invalid_token\""
            response.headers[.wwwAuthenticate] = "Bearer realm=\"shortlinks\"\(reason)"
        }
        return response
    }

    /// An empty 204.
    static func noContent() -> Response { Response(status: .noContent) }

    static func body(_ text: String, status: HTTPResponse.Status, contentType: String) -> Response {
        let buffer = ByteBuffer(string: text)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentLength] = String(buffer.readableBytes)
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
