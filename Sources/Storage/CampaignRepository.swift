public import LibPQ
public import ShortLinkCore

/// Campaigns, always under a client. Deleting one keeps its links (campaign cleared).
public struct CampaignRepository: Sendable {
    let pool: RepositoryPool
    static let columns = "id, client_id, name, created_at, updated_at"

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Inserts a campaign; the name is unique within the client.
    /// - Parameters:
    ///   - clientID: the owning client (a missing one is a ``StorageError/Code/rejected(_:)``).
    ///   - name: the campaign name.
    public func create(clientID: EntityID, name: String) async throws -> Campaign {
        let name = try Names.normalized(name, field: "name")
        return try Self.campaign(
            try await pool.query(
                "INSERT INTO campaigns (client_id, name) VALUES ($1, $2) RETURNING \(Self.columns)", [clientID.pg, name])[0])
    }

    /// The campaign with this id, or `nil`.
    /// - Parameter id: the campaign id.
    public func get(_ id: EntityID) async throws -> Campaign? {
        try await pool.query("SELECT \(Self.columns) FROM campaigns WHERE id = $1", [id.pg]).first.map(Self.campaign)
    }

    /// A client's campaigns, by name.
    /// - Parameter clientID: the client.
    public func list(clientID: EntityID) async throws -> [Campaign] {
        try await pool.query("SELECT \(Self.columns) FROM campaigns WHERE client_id = $1 ORDER BY name", [clientID.pg])
            .map(Self.campaign)
    }

    /// Renames a campaign.
    /// - Parameters:
    ///   - id: the campaign id.
    ///   - name: the new name.
    /// - Returns: the updated campaign, or `nil` when there is none.
    public func rename(_ id: EntityID, to name: String) async throws -> Campaign? {
        let name = try Names.normalized(name, field: "name")
        return try await pool.query("UPDATE campaigns SET name = $2 WHERE id = $1 RETURNING \(Self.columns)", [id.pg, name])
            .first.map(Self.campaign)
    }

    /// Deletes a campaign; its links stay with no campaign.
    /// - Parameter id: the campaign id.
    /// - Returns: whether a campaign was deleted.
    public func delete(_ id: EntityID) async throws -> Bool {
        try await pool.execute("DELETE FROM campaigns WHERE id = $1", [id.pg]) == 1
    }

    /// Deletes a campaign and says how many links lost it (they stay, with no campaign).
    /// - Parameter id: the campaign id.
    /// - Returns: `nil` when there was no such campaign, else the number of links it had.
    public func deleteCounting(_ id: EntityID) async throws -> Int? {
        try await pool.transaction { connection in
            let links = try connection.query("SELECT count(*) FROM links WHERE campaign_id = $1", [id.pg])[0].decode(0, as: Int.self)
            return try connection.execute("DELETE FROM campaigns WHERE id = $1", [id.pg]) == 0 ? nil : links
        }
    }

    static func campaign(_ row: PGRow) throws -> Campaign {
        Campaign(
            id: try row.id("id"), clientID: try row.id("client_id"), name: try row.decode("name"),
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}
