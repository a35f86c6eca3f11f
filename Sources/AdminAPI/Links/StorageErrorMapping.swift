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
            let rule = error.message.hasPrefix("must not be empty") ? "blank" : "too_long"
            return APIError(.validationFailed, "\(name): \(error.message)", errors: [FieldError(field: name, code: rule, message: error.message)])
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
        case (.connectionFailed, _), (.connectionLost, _), (.poolTimeout, _):
            return APIError(.databaseUnavailable, "the database is unavailable; retry later")
        default:
            return error
        }
    }
}
