import Hummingbird
import ShortLinkCore

/// Small readers shared by the route handlers.
enum RouteSupport {
    /// A UUID path parameter; anything else is a 404 for `what` (a malformed id names nothing).
    static func id(_ context: AdminRequestContext, _ name: String, _ what: String) throws -> EntityID {
        guard let text = context.parameters.get(name), let id = EntityID(text) else { throw APIError.notFound(what) }
        return id
    }

    /// The query parameters in order.
    static func query(_ request: Request) -> [(String, String)] {
        request.uri.queryParameters.map { (String($0.key), String($0.value)) }
    }

    /// Refuses query parameters on routes that take none, or only `allowed` ones.
    static func requireNoQuery(_ request: Request, allowing allowed: Set<String> = []) throws {
        let unknown = query(request).map(\.0).filter { !allowed.contains($0) }.map { LogSafe.escape($0, limit: 64) }
        guard unknown.isEmpty else {
            throw APIError(
                .invalidRequest, "unknown query parameter(s): " + unknown.joined(separator: ", "),
                errors: unknown.map { FieldError(field: $0, code: "unknown_parameter", message: "is not a known query parameter") })
        }
    }

    /// A trimmed, non-empty name from a body, or the errors; `null` is refused (422) whether
    /// the name is required (create) or not (PATCH: leave it out to keep the name).
    static func name(_ reader: inout FieldReader, _ key: String = "name", required: Bool) throws -> String? {
        let raw = reader.string(key, required: required)
        try reader.finish()
        try reader.refuseNulls([key])
        guard let raw else { return nil }
        switch NameRules.check(raw, field: reader.fieldPath(key)) {
        case .success(let name): return name
        case .failure(let error): throw APIError(.validationFailed, "\(error.field): \(error.message)", errors: [error])
        }
    }
}
