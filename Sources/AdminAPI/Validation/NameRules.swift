import ShortLinkCore

/// Names (clients, campaigns, tags, users) through Core's normalisation, as field errors.
enum NameRules {
    /// Trims and checks a name.
    /// - Parameters:
    ///   - text: the raw name.
    ///   - field: the field path.
    static func check(_ text: String, field: String) -> Result<String, FieldError> {
        do throws(ValidationError) {
            return .success(try Names.normalized(text, field: field))
        } catch {
            let code = error.message.hasPrefix("must not be empty") ? "blank" : "too_long"
            return .failure(FieldError(field: field, code: code, message: error.message))
        }
    }
}
