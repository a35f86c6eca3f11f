extension Link {
    /// What the edge needs of this link to answer its code.
    public var target: LinkTarget {
        LinkTarget(
            id: id, code: fields.shortCode.rawValue, url: fields.originalURL, status: fields.redirectStatus,
            forwardQuery: fields.forwardQuery, expiresAt: fields.expiresAt)
    }
}
