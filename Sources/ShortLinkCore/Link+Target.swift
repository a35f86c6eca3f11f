extension Link {
    /// What the edge needs of this link to answer its code.
    public var target: LinkTarget {
        LinkTarget(
            id: id, code: shortCode.rawValue, url: originalURL, status: redirectStatus,
            forwardQuery: forwardQuery, expiresAt: expiresAt)
    }
}
