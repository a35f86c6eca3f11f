public import LibPQ

/// The application's database as its callers see it: the repositories, the metrics and
/// export readers and the health probe, all over one pool. Every SQL statement lives behind
/// it, in this module, and what it throws is a ``StorageError`` (or a
/// `ShortLinkCore.ValidationError`), never a driver error. Cheap to copy.
public struct Database: Sendable {
    let pool: PGPool

    /// Creates the façade.
    /// - Parameter pool: the (migrated) database; owned by the caller, who shuts it down.
    public init(pool: PGPool) { self.pool = pool }

    /// Staff users.
    public var users: UserRepository { UserRepository(pool: pool) }
    /// API tokens.
    public var tokens: TokenRepository { TokenRepository(pool: pool) }
    /// Agency clients.
    public var clients: ClientRepository { ClientRepository(pool: pool) }
    /// Campaigns.
    public var campaigns: CampaignRepository { CampaignRepository(pool: pool) }
    /// Links with their tags.
    public var links: LinkRepository { LinkRepository(pool: pool) }
    /// Tags.
    public var tags: TagRepository { TagRepository(pool: pool) }
    /// Metrics from the rollups.
    public var metrics: MetricsRepository { MetricsRepository(pool: pool) }
    /// CSV click reports.
    public var exports: ClickExports { ClickExports(pool: pool) }
    /// Readiness probes.
    public var health: DatabaseHealth { DatabaseHealth(pool: pool) }
}
