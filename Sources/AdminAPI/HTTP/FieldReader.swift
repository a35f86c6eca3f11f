import ShortLinkCore

/// Reads the members of one JSON object by name and type, remembering which names it was
/// asked for, so that ``finish()`` can refuse unknown fields and report every wrongly typed
/// or missing field at once (400 `invalid_request`).
struct FieldReader {
    let members: [JSONMember]
    /// The object's own path (`""` for the body, `links[2]` for a bulk item).
    let path: String
    private(set) var shapeErrors: [FieldError] = []
    private var asked: Set<String> = []

    init(members: [JSONMember], path: String) {
        self.members = members
        self.path = path
    }

    /// The path of one member.
    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of a member (`nil` when absent); marks the name as known.
    mutating func value(_ key: String) -> JSONValue? {
        asked.insert(key)
        return members.last { $0.key == key }?.value
    }

    mutating func shapeError(_ key: String, _ code: String, _ message: String) {
        shapeErrors.append(FieldError(field: fieldPath(key), code: code, message: message))
    }

    /// A string member; `null` counts as absent. Records `required` or `type` errors.
    mutating func string(_ key: String, required: Bool = false) -> String? {
        switch value(key) {
        case .none, .some(.null):
            if required { shapeError(key, "required", "is required") }
            return nil
        case .some(.string(let text)): return text
        case .some(let other):
            shapeError(key, "type", "must be a string, not \(other.typeName)")
            return nil
        }
    }

    /// A string member of a PATCH body.
    mutating func patchString(_ key: String) -> Patch<String> {
        switch value(key) {
        case .none: return .absent
        case .some(.null): return .null
        case .some(.string(let text)): return .value(text)
        case .some(let other):
            shapeError(key, "type", "must be a string or null, not \(other.typeName)")
            return .absent
        }
    }

    /// A Boolean member; `null` counts as absent.
    mutating func bool(_ key: String) -> Bool? {
        switch value(key) {
        case .none, .some(.null): return nil
        case .some(.bool(let flag)): return flag
        case .some(let other):
            shapeError(key, "type", "must be a boolean, not \(other.typeName)")
            return nil
        }
    }

    /// An integer member; `null` counts as absent.
    mutating func int(_ key: String) -> Int? {
        switch value(key) {
        case .none, .some(.null): return nil
        case .some(.number(let number)) where number.rounded() == number && abs(number) < 1e15:
            return Int(number)
        case .some(let other):
            shapeError(key, "type", "must be an integer, not \(other.typeName == "number" ? "a fraction" : other.typeName)")
            return nil
        }
    }

    /// An array-of-strings member; `null` counts as absent.
    mutating func stringArray(_ key: String) -> [String]? {
        switch value(key) {
        case .none, .some(.null): return nil
        case .some(.array(let elements)):
            var strings: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    shapeErrors.append(
                        FieldError(field: "\(fieldPath(key))[\(index)]", code: "type", message: "must be a string, not \(element.typeName)"))
                    continue
                }
                strings.append(text)
            }
            return strings
        case .some(let other):
            shapeError(key, "type", "must be an array of strings, not \(other.typeName)")
            return nil
        }
    }

    /// Throws 422 `validation_failed` (rule `not_nullable`) when any of `keys` is an explicit
    /// `null`: on a PATCH, `null` means "clear", and these fields cannot be cleared; leaving
    /// one out is how to keep its value.
    /// - Parameter keys: member names that must not be `null`.
    func refuseNulls(_ keys: [String]) throws(APIError) {
        let errors = keys.filter { key in members.last { $0.key == key }?.value == .null }.map {
            FieldError(field: fieldPath($0), code: "not_nullable", message: "must not be null (leave it out to keep the current value)")
        }
        guard errors.isEmpty else {
            throw APIError(.validationFailed, "cannot be null: " + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
    }

    /// Errors for members nobody asked for.
    var unknownFieldErrors: [FieldError] {
        members.filter { !asked.contains($0.key) }.map {
            // The name is the client's own text: shown escaped and cut short, never verbatim.
            FieldError(field: fieldPath(LogSafe.escape($0.key, limit: 64)), code: "unknown_field", message: "is not a known field")
        }
    }

    /// Every shape problem: unknown fields, then wrong types and missing fields.
    var allShapeErrors: [FieldError] { unknownFieldErrors + shapeErrors }

    /// Throws 400 `invalid_request` when anything in the object had the wrong shape.
    func finish() throws(APIError) {
        let errors = allShapeErrors
        guard errors.isEmpty else {
            throw APIError(
                .invalidRequest,
                "the body has \(errors.count) invalid field(s): "
                    + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
    }
}
