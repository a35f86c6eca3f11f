/// Input that breaks a domain rule, found before anything is written.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault, e.g. `tags` or `name`.
    public var field: String
    /// What is wrong, in words a user can act on.
    public var message: String
    /// A stable token for the rule (`blank`, `too_long`, `control_character`, …).
    public var rule: String

    /// Creates a validation error.
    /// - Parameters:
    ///   - field: the field at fault.
    ///   - message: what is wrong.
    ///   - rule: the rule's token; default `invalid`.
    public init(field: String, message: String, rule: String = "invalid") {
        self.field = field
        self.message = message
        self.rule = rule
    }

    public var description: String { "\(field): \(message)" }
}

/// Normalisation shared by every name-like field (client, campaign, tag and user names).
public enum Names {
    /// The longest name accepted, in Unicode code points (not user-perceived characters: one
    /// letter with a million combining marks is a million and one code points).
    public static let maximumLength = 200
    /// The longest name accepted, in UTF-8 bytes (what Postgres stores and indexes; a btree
    /// entry must stay far below its 2,704-byte limit).
    public static let maximumBytes = 800

    /// Trims surrounding whitespace and checks the result is non-empty, has no control
    /// characters (C0, DEL, C1) and is at most ``maximumLength`` code points and
    /// ``maximumBytes`` bytes.
    /// - Parameters:
    ///   - name: the raw input.
    ///   - field: the field name used in the error.
    public static func normalized(_ name: String, field: String) throws(ValidationError) -> String {
        let trimmed = String(name.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !trimmed.isEmpty else { throw ValidationError(field: field, message: "must not be empty", rule: "blank") }
        guard trimmed.unicodeScalars.count <= maximumLength, trimmed.utf8.count <= maximumBytes else {
            throw ValidationError(
                field: field, message: "must be at most \(maximumLength) code points and \(maximumBytes) UTF-8 bytes", rule: "too_long")
        }
        guard !trimmed.unicodeScalars.contains(where: isControl) else {
            throw ValidationError(field: field, message: "must not contain control characters", rule: "control_character")
        }
        return trimmed
    }

    /// Whether a scalar is a control character (C0, DEL or C1), which no name may contain.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
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
