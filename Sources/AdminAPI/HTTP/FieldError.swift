/// One offending field of a refused request: where, what rule, and a sentence for people.
public struct FieldError: Error, Sendable, Equatable {
    /// The field, as a JSON path relative to the body or the query (`originalUrl`,
    /// `links[3].shortCode`, `tags[1]`).
    public var field: String
    /// A stable token for the rule that failed (`required`, `type`, `unknown_field`,
    /// `url_scheme`, `code_reserved`, …; listed in the OpenAPI document).
    public var code: String
    /// What is wrong, in words.
    public var message: String

    /// Creates a field error.
    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    var json: JSONValue {
        ["field": .string(field), "code": .string(code), "message": .string(message)]
    }
}
