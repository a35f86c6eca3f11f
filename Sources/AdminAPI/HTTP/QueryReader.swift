import ShortLinkCore

/// Reads a request's query parameters by name and type, collecting every problem (unknown
/// names, bad values) so that ``finish()`` can refuse them all at once with a 400
/// `invalid_request` naming each parameter.
struct QueryReader {
    /// The last value of each parameter.
    let values: [String: String]
    /// Every value of each parameter, in order.
    let lists: [String: [String]]
    private(set) var errors: [FieldError] = []

    /// - Parameters:
    ///   - parameters: the query parameters in order.
    ///   - known: the names the route takes; any other name is an error.
    ///   - repeatable: the names that may be given more than once (read with ``all(_:)``);
    ///     any other name given twice is an error (`repeated`) rather than a silent choice.
    init(_ parameters: [(String, String)], known: Set<String>, repeatable: Set<String> = []) {
        var values: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for (name, value) in parameters {
            if !known.contains(name) {
                errors.append(
                    FieldError(field: LogSafe.escape(name, limit: 64), code: "unknown_parameter", message: "is not a known query parameter"))
            } else if lists[name]?.count == 1, !repeatable.contains(name) {
                errors.append(FieldError(field: name, code: "repeated", message: "may be given only once"))
            }
            values[name] = value
            lists[name, default: []].append(value)
        }
        self.values = values
        self.lists = lists
    }

    /// Every value of a repeatable parameter, in order (empty when absent).
    func all(_ name: String) -> [String] { lists[name] ?? [] }

    /// Records a problem with one parameter.
    mutating func fail(_ name: String, _ code: String, _ message: String) {
        errors.append(FieldError(field: name, code: code, message: message))
    }

    /// An RFC 3339 time or a bare date (midnight UTC).
    mutating func time(_ name: String) -> Timestamp? {
        guard let text = values[name] else { return nil }
        guard let time = ISO8601.parse(text) else {
            fail(name, "format", "must be an RFC 3339 time or a date (2026-11-22)")
            return nil
        }
        return time
    }

    /// A UUID.
    mutating func id(_ name: String) -> EntityID? {
        guard let text = values[name] else { return nil }
        guard let id = EntityID(text) else {
            fail(name, "format", "must be a UUID")
            return nil
        }
        return id
    }

    /// `true`/`1` or `false`/`0`.
    mutating func bool(_ name: String) -> Bool? {
        guard let text = values[name] else { return nil }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default:
            fail(name, "format", "must be true or false")
            return nil
        }
    }

    /// Throws the 400 when anything was wrong.
    func finish() throws(APIError) {
        guard errors.isEmpty else {
            throw APIError(.invalidRequest, "invalid query parameter(s): " + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
    }
}
