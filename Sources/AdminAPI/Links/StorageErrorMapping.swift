import LibPQ
import ShortLinkCore

/// Turns what the database refused into the API's errors, by SQLSTATE and constraint name
/// (the schema names every constraint for this). Anything else passes through unchanged.
enum StorageErrorMapping {
    /// - Parameters:
    ///   - error: what a repository threw.
    ///   - path: the path prefix of the offending object (`links[3]` in bulk), or `""`.
    static func map(_ error: any Error, path: String = "") -> any Error {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        if let error = error as? ValidationError {
            let name = field(error.field)
            return APIError(.validationFailed, "\(name): \(error.message)", errors: [FieldError(field: name, code: error.rule, message: error.message)])
        }
        guard let error = error as? PGError else { return error }
        switch (error.code, error.constraint) {
        case (.uniqueViolation, "links_short_code_key"):
            return APIError(.shortCodeTaken, "another link already has this short code",
                errors: [FieldError(field: field("shortCode"), code: "taken", message: "is already in use")])
        case (.uniqueViolation, "clients_name_key"):
            return APIError(.clientNameTaken, "another client already has this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use")])
        case (.uniqueViolation, "campaigns_client_id_name_key"):
            return APIError(.campaignNameTaken, "the client already has a campaign with this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use in this client")])
        case (.uniqueViolation, "tags_name_key"):
            return APIError(.tagNameTaken, "another tag already has this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use")])
        case (.uniqueViolation, "users_email_lower_key"):
            return APIError(.emailTaken, "another user already has this e-mail",
                errors: [FieldError(field: field("email"), code: "taken", message: "is already in use")])
        case (.foreignKeyViolation, "links_client_id_fkey"):
            return APIError.invalid(field("clientId"), "not_found", "no client has this id")
        case (.foreignKeyViolation, "links_campaign_client_fkey"):
            return APIError.invalid(field("campaignId"), "campaign_client_mismatch", "no campaign with this id belongs to the link's client")
        case (.foreignKeyViolation, "links_user_id_fkey"), (.foreignKeyViolation, "api_tokens_user_id_fkey"):
            return APIError.invalid(field("userId"), "not_found", "no user has this id")
        case (.checkViolation, "links_redirect_status_check"):
            return APIError.invalid(field("redirectStatus"), "redirect_status", "must be 301, 302, 307 or 308")
        case (.checkViolation, let name?) where notBlank[name] != nil:
            return APIError.invalid(field(notBlank[name]!), "blank", "must not be empty")
        case (.checkViolation, "links_original_url_length"):
            return APIError.invalid(field("originalUrl"), "url_too_long", "must be at most \(TargetURLRules.maximumBytes) bytes")
        case (.checkViolation, "links_short_code_format"):
            return APIError.invalid(field("shortCode"), "code_format", "must be 1 to 64 characters of A-Z a-z 0-9 _ -")
        case (.checkViolation, "links_expires_at_finite"):
            return APIError.invalid(field("expiresAt"), "format", "must be a finite RFC 3339 time")
        case (.connectionFailed, _), (.connectionLost, _), (.poolTimeout, _):
            return APIError(.databaseUnavailable, "the database is unavailable; retry later")
        default:
            return net(error, field: field)
        }
    }

    /// The `…_not_blank` CHECK constraints and the field each guards.
    static let notBlank: [String: String] = [
        "clients_name_not_blank": "name", "campaigns_name_not_blank": "name", "tags_name_not_blank": "name",
        "users_name_not_blank": "name", "users_email_not_blank": "email", "api_tokens_name_not_blank": "name",
        "links_original_url_not_blank": "originalUrl",
    ]

    /// The safety net under the validators: any other integrity violation (SQLSTATE class 23),
    /// data exception (class 22: a value out of range, an invalid byte sequence…) or program
    /// limit (class 54: e.g. an index row too large) was caused by the request's values, so it
    /// is a 422, never a 500. The detail names the constraint or column (ours), never the value.
    static func net(_ error: PGError, field: (String) -> String) -> any Error {
        guard let state = error.sqlState, state.hasPrefix("23") || state.hasPrefix("22") || state.hasPrefix("54") else {
            return error
        }
        let name = error.column.map { field(camelCase($0)) } ?? field("")
        let rule = state.hasPrefix("23") ? "constraint" : state.hasPrefix("54") ? "too_long" : "invalid_value"
        let what = error.constraint.map { "breaks the database rule \($0)" } ?? "is not a value the database can store"
        return APIError(.validationFailed, "a value \(what)", errors: [FieldError(field: name, code: rule, message: what)])
    }

    /// `original_url` → `originalUrl`.
    static func camelCase(_ column: String) -> String {
        let parts = column.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }
}
