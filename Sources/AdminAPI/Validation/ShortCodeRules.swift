import ShortLinkCore

/// What a custom short code must be: `[A-Za-z0-9_-]{1,64}` and none of the paths the edge or
/// the admin listener answer themselves (compared case-insensitively, so `API` is refused too).
enum ShortCodeRules {
    /// Codes nobody may choose. The edge answers `/healthz` and `/robots.txt` before any link
    /// lookup; the rest are paths a short domain commonly needs or that would confuse people.
    static let reserved: Set<String> = [
        "api", "healthz", "readyz", "livez", "metrics", "robots.txt", "favicon.ico", "sitemap.xml",
        "admin", "login", "logout", "auth", "oauth", "static", "assets", "well-known", ".well-known", "openapi",
    ]

    /// Validates a custom code.
    /// - Parameters:
    ///   - text: the candidate.
    ///   - field: the field path for the error.
    static func check(_ text: String, field: String) -> Result<ShortCode, FieldError> {
        guard let code = ShortCode(text) else {
            return .failure(
                FieldError(field: field, code: "code_format", message: "must be 1 to 64 characters of A-Z a-z 0-9 _ -"))
        }
        guard !reserved.contains(text.lowercased()) else {
            return .failure(FieldError(field: field, code: "code_reserved", message: "is reserved (a path the service answers itself)"))
        }
        return .success(code)
    }
}
