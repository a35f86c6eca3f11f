import Hummingbird
import ShortLinkCore
import Storage

/// The query parameters of `GET /api/v1/links`, checked: unknown parameters and bad values
/// are a 400 naming each one.
struct LinkListQuery {
    static let defaultLimit = 50
    static let maximumLimit = 500
    static let known: Set<String> = ["clientId", "campaignId", "userId", "tag", "q", "createdFrom", "createdBefore", "sort", "limit", "cursor"]

    var filter: LinkFilter

    init(_ parameters: [(String, String)]) throws(APIError) {
        var errors: [FieldError] = []
        var values: [String: String] = [:]
        for (name, value) in parameters {
            if !Self.known.contains(name) {
                errors.append(FieldError(field: name, code: "unknown_parameter", message: "is not a known query parameter"))
            }
            values[name] = value
        }
        func id(_ name: String) -> EntityID? {
            guard let text = values[name] else { return nil }
            guard let id = EntityID(text) else {
                errors.append(FieldError(field: name, code: "format", message: "must be a UUID"))
                return nil
            }
            return id
        }
        func time(_ name: String) -> Timestamp? {
            guard let text = values[name] else { return nil }
            guard let time = ISO8601.parse(text) else {
                errors.append(FieldError(field: name, code: "format", message: "must be an RFC 3339 time or a date (2026-11-22)"))
                return nil
            }
            return time
        }
        var filter = LinkFilter(
            clientID: id("clientId"), campaignID: id("campaignId"), userID: id("userId"),
            tag: values["tag"], query: values["q"].flatMap { $0.isEmpty ? nil : $0 },
            createdFrom: time("createdFrom"), createdBefore: time("createdBefore"), limit: Self.defaultLimit)
        if let text = values["sort"] {
            if let sort = LinkSort(rawValue: text) {
                filter.sort = sort
            } else {
                errors.append(FieldError(field: "sort", code: "format",
                    message: "must be one of " + LinkSort.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        if let text = values["limit"] {
            if let limit = Int(text), (1...Self.maximumLimit).contains(limit) {
                filter.limit = limit
            } else {
                errors.append(FieldError(field: "limit", code: "range", message: "must be an integer from 1 to \(Self.maximumLimit)"))
            }
        }
        if let text = values["cursor"] {
            if let cursor = LinkCursor(text), cursor.sort == filter.sort {
                if let createdAt = cursor.createdAt, let id = cursor.id { filter.after = (createdAt, id) }
                filter.afterShortCode = cursor.shortCode
            } else {
                errors.append(FieldError(field: "cursor", code: "invalid_cursor", message: "is not a cursor of this listing's sort order"))
            }
        }
        guard errors.isEmpty else {
            throw APIError(.invalidRequest, "invalid query parameter(s): " + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
        self.filter = filter
    }
}
