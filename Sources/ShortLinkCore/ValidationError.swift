/// Input that breaks a domain rule, found before anything is written.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault, e.g. `tags` or `name`.
    public var field: String
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates a validation error.
    /// - Parameters:
    ///   - field: the field at fault.
    ///   - message: what is wrong.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Normalisation shared by every name-like field (client, campaign, tag and user names).
public enum Names {
    /// The longest name accepted.
    public static let maximumLength = 200

    /// Trims surrounding whitespace and checks the result is non-empty and not too long.
    /// - Parameters:
    ///   - name: the raw input.
    ///   - field: the field name used in the error.
    public static func normalized(_ name: String, field: String) throws(ValidationError) -> String {
        let trimmed = String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !trimmed.isEmpty else { throw ValidationError(field: field, message: "must not be empty") }
        guard trimmed.count <= maximumLength else {
            throw ValidationError(field: field, message: "must be at most \(maximumLength) characters")
        }
        return trimmed
    }

    /// Normalises a list of tag names: each trimmed and non-empty, duplicates removed,
    /// order of first appearance kept.
    /// - Parameter tags: the raw names.
    public static func normalizedTags(_ tags: [String]) throws(ValidationError) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        for tag in tags {
            let name = try normalized(tag, field: "tags")
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }
}
