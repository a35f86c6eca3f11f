import ShortLinkCore
import Storage

/// Turns what the database refused (a ``Storage/StorageError``, already in the domain's words)
/// into the API's errors. Anything else passes through unchanged; so does a database that
/// cannot be used now, which ``DatabaseUnavailableMiddleware`` answers.
enum StorageErrorMapping {
    /// - Parameters:
    ///   - error: what a repository threw.
    ///   - path: the path prefix of the offending object (`links[3]` in bulk), or `""`.
    static func map(_ error: any Error, path: String = "") -> any Error {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        if let error = error as? ValidationError {
            let name = field(error.field)
            return APIError(
                .validationFailed, "\(name): \(error.message)", errors: [FieldError(field: name, code: error.rule, message: error.message)])
        }
        guard let error = error as? StorageError else { return error }
        switch error.code {
        case .shortCodeTaken:
            return APIError(
                .shortCodeTaken, "another link already has this short code",
                errors: [FieldError(field: field("shortCode"), code: "taken", message: "is already in use")])
        case .clientNameTaken:
            return APIError(
                .clientNameTaken, "another client already has this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use")])
        case .campaignNameTaken:
            return APIError(
                .campaignNameTaken, "the client already has a campaign with this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use in this client")])
        case .tagNameTaken:
            return APIError(
                .tagNameTaken, "another tag already has this name",
                errors: [FieldError(field: field("name"), code: "taken", message: "is already in use")])
        case .emailTaken:
            return APIError(
                .emailTaken, "another user already has this e-mail",
                errors: [FieldError(field: field("email"), code: "taken", message: "is already in use")])
        case .unknownClient:
            return APIError.invalid(field("clientId"), "not_found", "no client has this id")
        case .campaignOfAnotherClient:
            return APIError.invalid(field("campaignId"), "campaign_client_mismatch", "no campaign with this id belongs to the link's client")
        case .unknownUser:
            return APIError.invalid(field("userId"), "not_found", "no user has this id")
        case .unsupportedRedirectStatus:
            return APIError.invalid(field("redirectStatus"), "redirect_status", "must be 301, 302, 307 or 308")
        case .blank(let blank):
            return APIError.invalid(field(name(of: blank)), "blank", "must not be empty")
        case .urlTooLong:
            return APIError.invalid(field("originalUrl"), "url_too_long", "must be at most \(TargetURLRules.maximumBytes) bytes")
        case .invalidShortCode:
            return APIError.invalid(field("shortCode"), "code_format", "must be 1 to 64 characters of A-Z a-z 0-9 _ -")
        case .infiniteExpiry:
            return APIError.invalid(field("expiresAt"), "format", "must be a finite RFC 3339 time")
        case .rejected(let rejection):
            return net(rejection, field: field)
        case .unavailable, .libraryCannotLoad, .failed:
            return error
        }
    }

    /// The JSON name of a stored field.
    static func name(of field: StorageError.Field) -> String {
        switch field {
        case .name: "name"
        case .email: "email"
        case .originalURL: "originalUrl"
        }
    }

    /// The safety net under the validators: any other integrity violation, data exception or
    /// program limit was caused by the request's values, so it is a 422, never a 500. The
    /// detail names the constraint or column (ours), never the value.
    static func net(_ rejection: StorageError.Rejection, field: (String) -> String) -> any Error {
        let name = rejection.column.map { field(camelCase($0)) } ?? field("")
        let rule =
            switch rejection.reason {
            case .constraint: "constraint"
            case .tooLong: "too_long"
            case .invalidValue: "invalid_value"
            }
        let what = rejection.constraint.map { "breaks the database rule \($0)" } ?? "is not a value the database can store"
        return APIError(.validationFailed, "a value \(what)", errors: [FieldError(field: name, code: rule, message: what)])
    }

    /// `original_url` → `originalUrl`.
    static func camelCase(_ column: String) -> String {
        let parts = column.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }
            .joined()
    }
}
