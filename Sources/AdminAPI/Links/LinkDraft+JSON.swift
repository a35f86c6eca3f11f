extension LinkDraft {
    /// The fields a link body may have.
    static let fields = ["shortCode", "originalUrl", "clientId", "campaignId", "tags", "redirectStatus", "forwardQuery", "expiresAt"]

    /// Reads a create body (or a bulk item); shape problems are collected in the reader.
    /// - Parameter reader: the object.
    /// - Returns: the draft, or `nil` when a required field is missing or mistyped.
    static func read(_ reader: inout FieldReader) -> LinkDraft? {
        let shortCode = reader.string("shortCode")
        let originalURL = reader.string("originalUrl", required: true)
        let clientID = reader.string("clientId", required: true)
        let campaignID = reader.string("campaignId")
        let tags = reader.stringArray("tags")
        let redirectStatus = reader.int("redirectStatus")
        let forwardQuery = reader.bool("forwardQuery")
        let expiresAt = reader.string("expiresAt")
        guard let originalURL, let clientID, reader.allShapeErrors.isEmpty else { return nil }
        return LinkDraft(
            shortCode: shortCode, originalURL: originalURL, clientID: clientID, campaignID: campaignID, tags: tags ?? [],
            redirectStatus: redirectStatus, forwardQuery: forwardQuery, expiresAt: expiresAt)
    }
}
