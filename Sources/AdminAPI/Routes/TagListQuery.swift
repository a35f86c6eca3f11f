import Foundation

/// The query parameters of `GET /api/v1/tags`: `limit` (1…500, default 100) and `cursor`
/// (the opaque `nextCursor` of the previous page: the last tag's name, base64url-encoded).
/// Tags come by name, like a dictionary.
struct TagListQuery {
    /// Tags per page when `limit` is not given: large enough that a client written before
    /// paging existed still sees every tag of a small installation on the first page.
    static let defaultLimit = 100
    static let maximumLimit = 500

    var limit = defaultLimit
    var after: String?

    init(_ parameters: [(String, String)]) throws(APIError) {
        var reader = QueryReader(parameters, known: ["limit", "cursor"])
        if let text = reader.values["limit"] {
            if let limit = Int(text), (1...Self.maximumLimit).contains(limit) {
                self.limit = limit
            } else {
                reader.fail("limit", "range", "must be an integer from 1 to \(Self.maximumLimit)")
            }
        }
        if let text = reader.values["cursor"] {
            if let name = Self.decode(text) {
                after = name
            } else {
                reader.fail("cursor", "invalid_cursor", "is not a cursor of this listing")
            }
        }
        try reader.finish()
    }

    /// The cursor that continues after the tag named `name`.
    static func cursor(after name: String) -> String {
        Data("t1|\(name)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> String? {
        guard text.utf8.count <= 4096, let bytes = OIDCVerifier.base64URLDecode(Substring(text)) else { return nil }
        let decoded = String(decoding: bytes, as: UTF8.self)
        guard decoded.hasPrefix("t1|"), !decoded.unicodeScalars.contains(where: { $0.value == 0 || $0 == "\u{FFFD}" }) else { return nil }
        return String(decoded.dropFirst(3))
    }
}
