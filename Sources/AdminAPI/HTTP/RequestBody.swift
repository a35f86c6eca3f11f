import Hummingbird

/// Reads a request body as a JSON object.
enum RequestBody {
    /// JSON, or what `curl -d` sends when nobody set a type (the body must still be JSON).
    static func acceptable(_ contentType: String) -> Bool {
        let type = contentType.lowercased().prefix { $0 != ";" }.trimmingCharacters(in: " ")
        return type == "application/json" || type.hasSuffix("+json") || type == "application/x-www-form-urlencoded"
    }

    /// Collects the body (up to `limit` bytes) and parses it; a string with a control
    /// character anywhere in it refuses the whole body (422 `control_character`).
    /// - Parameters:
    ///   - request: the request.
    ///   - limit: the largest body accepted.
    /// - Returns: the top-level object's reader.
    static func object(_ request: Request, limit: Int) async throws -> FieldReader {
        if let type = request.headers[.contentType], !Self.acceptable(type) {
            throw APIError(.unsupportedMediaType, "send the body as application/json")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.payloadTooLarge, "the body is larger than \(limit) bytes")
        }
        guard let value = JSONValue.parse(Array(buffer.readableBytesView)) else {
            throw APIError(.malformedJSON, "the body is not valid JSON")
        }
        let controls = value.controlCharacterErrors()
        guard controls.isEmpty else {
            throw APIError(.validationFailed, "control characters in: " + controls.map(\.field).joined(separator: ", "), errors: controls)
        }
        guard case .object(let members) = value else {
            throw APIError(
                .invalidRequest, "the body must be a JSON object",
                errors: [
                    FieldError(field: "", code: "type", message: "must be an object, not \(value.typeName)")
                ])
        }
        return FieldReader(members: members, path: "")
    }
}
