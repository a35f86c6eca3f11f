import ShortLinkCore

/// Names (clients, campaigns, tags, users) through Core's normalisation, as field errors:
/// trimmed, non-empty (`blank`), at most 200 code points and 800 UTF-8 bytes (`too_long`), no
/// control characters (`control_character`).
enum NameRules {
    /// Trims and checks a name.
    /// - Parameters:
    ///   - text: the raw name.
    ///   - field: the field path.
    static func check(_ text: String, field: String) -> Result<String, FieldError> {
        do throws(ValidationError) {
            return .success(try Names.normalized(text, field: field))
        } catch {
            return .failure(FieldError(field: field, code: error.rule, message: error.message))
        }
    }
}
