public import ShortLinkCore

/// Which clicks an export holds. Different filters narrow together (AND); the values of one
/// filter widen it (OR): `tags` of two tags is the links carrying either. An empty list is
/// no condition; no filter at all means every click.
public struct ClickExportFilter: Sendable, Hashable {
    /// These links.
    public var links: [EntityID]
    /// Links currently in one of these campaigns.
    public var campaigns: [EntityID]
    /// Links currently of one of these clients.
    public var clients: [EntityID]
    /// Links currently carrying one of these tags.
    public var tags: [EntityID]
    /// Clicks at or after this time.
    public var from: Timestamp?
    /// Clicks before this time (the API and the CLI set it to now when none is given).
    public var to: Timestamp?
    /// Whether bot clicks are included (default: people only).
    public var includeBots: Bool

    /// Creates a filter.
    public init(
        links: [EntityID] = [], campaigns: [EntityID] = [], clients: [EntityID] = [], tags: [EntityID] = [],
        from: Timestamp? = nil, to: Timestamp? = nil, includeBots: Bool = false
    ) {
        self.links = links
        self.campaigns = campaigns
        self.clients = clients
        self.tags = tags
        self.from = from
        self.to = to
        self.includeBots = includeBots
    }
}
