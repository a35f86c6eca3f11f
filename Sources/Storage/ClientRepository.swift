public import LibPQ
public import ShortLinkCore

/// Agency clients. Deleting one deletes its campaigns and links.
public struct ClientRepository: Sendable {
    let pool: RepositoryPool
    static let columns = "id, name, created_at, updated_at"

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// Inserts a client; a duplicate name is ``StorageError/Code/clientNameTaken``.
    /// - Parameter name: the client's name (trimmed, non-empty).
    public func create(name: String) async throws -> Client {
        let name = try Names.normalized(name, field: "name")
        return try Self.client(try await pool.query("INSERT INTO clients (name) VALUES ($1) RETURNING \(Self.columns)", [name])[0])
    }

    /// The client with this id, or `nil`.
    /// - Parameter id: the client id.
    public func get(_ id: EntityID) async throws -> Client? {
        try await pool.query("SELECT \(Self.columns) FROM clients WHERE id = $1", [id.pg]).first.map(Self.client)
    }

    /// The client with this exact name, or `nil`.
    /// - Parameter name: the name.
    public func find(name: String) async throws -> Client? {
        try await pool.query("SELECT \(Self.columns) FROM clients WHERE name = $1", [name]).first.map(Self.client)
    }

    /// All clients, by name.
    public func list() async throws -> [Client] {
        try await pool.query("SELECT \(Self.columns) FROM clients ORDER BY name").map(Self.client)
    }

    /// Renames a client.
    /// - Parameters:
    ///   - id: the client id.
    ///   - name: the new name.
    /// - Returns: the updated client, or `nil` when there is none.
    public func rename(_ id: EntityID, to name: String) async throws -> Client? {
        let name = try Names.normalized(name, field: "name")
        return try await pool.query("UPDATE clients SET name = $2 WHERE id = $1 RETURNING \(Self.columns)", [id.pg, name])
            .first.map(Self.client)
    }

    /// Deletes a client with its campaigns and links.
    /// - Parameter id: the client id.
    /// - Returns: whether a client was deleted.
    public func delete(_ id: EntityID) async throws -> Bool {
        try await pool.execute("DELETE FROM clients WHERE id = $1", [id.pg]) == 1
    }

    /// Deletes a client with its campaigns and links, and says how many went with it.
    /// - Parameter id: the client id.
    /// - Returns: `nil` when there was no such client, else the campaigns and links deleted.
    public func deleteCounting(_ id: EntityID) async throws -> (campaigns: Int, links: Int)? {
        try await pool.transaction { connection in
            let counts = try connection.query(
                """
                SELECT (SELECT count(*) FROM campaigns WHERE client_id = $1) AS campaigns,
                       (SELECT count(*) FROM links WHERE client_id = $1) AS links
                """, [id.pg])[0]
            let campaigns = try counts.decode("campaigns", as: Int.self)
            let links = try counts.decode("links", as: Int.self)
            return try connection.execute("DELETE FROM clients WHERE id = $1", [id.pg]) == 0 ? nil : (campaigns, links)
        }
    }

    static func client(_ row: PGRow) throws -> Client {
        Client(id: try row.id("id"), name: try row.decode("name"), createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}
