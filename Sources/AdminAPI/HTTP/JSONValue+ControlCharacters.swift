import ShortLinkCore

extension JSONValue {
    /// The paths of every string (member names included) that holds a control character:
    /// C0 (NUL, newline, tab… U+0000–U+001F), DEL or C1 (U+0080–U+009F).
    ///
    /// No text field of the API takes one: names, tags, codes, e-mails and URLs are one line
    /// of visible text. A NUL in particular cannot be stored at all (libpq passes parameters
    /// as C strings, so `x\u0000y` would be stored as `x`), so the whole body is checked
    /// before any field is read, and the request is refused as a whole.
    /// - Parameter path: this value's path (`""` for the body).
    func controlCharacterErrors(path: String = "") -> [FieldError] {
        switch self {
        case .null, .bool, .number: return []
        case .string(let text):
            guard Self.hasControl(text) else { return [] }
            return [FieldError(field: path, code: "control_character", message: "must not contain control characters (U+0000–U+001F, U+007F–U+009F)")]
        case .array(let elements):
            return elements.enumerated().flatMap { $0.element.controlCharacterErrors(path: "\(path)[\($0.offset)]") }
        case .object(let members):
            return members.flatMap { member -> [FieldError] in
                if Self.hasControl(member.key) {
                    // The name itself is not echoed: it is the offending input.
                    return [FieldError(field: path, code: "control_character", message: "has a member name with control characters")]
                }
                return member.value.controlCharacterErrors(path: path.isEmpty ? member.key : "\(path).\(member.key)")
            }
        }
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: Names.isControl)
    }
}
