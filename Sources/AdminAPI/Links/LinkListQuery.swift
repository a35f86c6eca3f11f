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
        var reader = QueryReader(parameters, known: Self.known)
        let values = reader.values
        var filter = LinkFilter(
            clientID: reader.id("clientId"), campaignID: reader.id("campaignId"), userID: reader.id("userId"),
            tag: values["tag"], query: values["q"].flatMap { $0.isEmpty ? nil : $0 },
            createdFrom: reader.time("createdFrom"), createdBefore: reader.time("createdBefore"), limit: Self.defaultLimit)
        if let text = values["sort"] {
            if let sort = LinkSort(rawValue: text) {
                filter.sort = sort
            } else {
                reader.fail("sort", "format", "must be one of " + LinkSort.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        if let text = values["limit"] {
            if let limit = Int(text), (1...Self.maximumLimit).contains(limit) {
                filter.limit = limit
            } else {
                reader.fail("limit", "range", "must be an integer from 1 to \(Self.maximumLimit)")
            }
        }
        if let text = values["cursor"] {
            if let cursor = LinkCursor(text), cursor.sort == filter.sort {
                if let createdAt = cursor.createdAt, let id = cursor.id { filter.after = (createdAt, id) }
                filter.afterShortCode = cursor.shortCode
            } else {
                reader.fail("cursor", "invalid_cursor", "is not a cursor of this listing's sort order")
            }
        }
        try reader.finish()
        self.filter = filter
    }
}
