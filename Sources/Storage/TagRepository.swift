public import LibPQ
public import ShortLinkCore

/// Tags: created on first use by links, listed with counts, renamed and deleted here.
public struct TagRepository: Sendable {
    let pool: RepositoryPool

    /// Creates the repository.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = RepositoryPool(pool) }

    /// All tags with how many links carry each, by name.
    public func list() async throws -> [Tag] {
        try await pool.query(
            """
            SELECT t.id, t.name, t.created_at, t.updated_at, count(lt.link_id) AS link_count
            FROM tags t LEFT JOIN link_tags lt ON lt.tag_id = t.id
            GROUP BY t.id ORDER BY t.name
            """
        ).map(Self.tag)
    }

    /// One page of tags by name, with their link counts.
    /// - Parameters:
    ///   - limit: most tags returned.
    ///   - after: the last name of the previous page; `nil` for the first page.
    public func list(limit: Int, after: String?) async throws -> [Tag] {
        try await pool.query(
            """
            SELECT t.id, t.name, t.created_at, t.updated_at,
                   (SELECT count(*) FROM link_tags lt WHERE lt.tag_id = t.id) AS link_count
            FROM tags t WHERE $1::text IS NULL OR t.name > $1
            ORDER BY t.name LIMIT $2
            """, [after, limit]
        ).map(Self.tag)
    }

    /// The tag with this name, or `nil`.
    /// - Parameter name: the exact name.
    public func find(name: String) async throws -> Tag? {
        try await pool.query(
            """
            SELECT t.id, t.name, t.created_at, t.updated_at,
                   (SELECT count(*) FROM link_tags lt WHERE lt.tag_id = t.id) AS link_count
            FROM tags t WHERE t.name = $1
            """, [name]
        ).first.map(Self.tag)
    }

    /// The tag with this id (with its link count), or `nil`.
    /// - Parameter id: the tag id.
    public func get(_ id: EntityID) async throws -> Tag? {
        try await pool.query(
            """
            SELECT t.id, t.name, t.created_at, t.updated_at,
                   (SELECT count(*) FROM link_tags lt WHERE lt.tag_id = t.id) AS link_count
            FROM tags t WHERE t.id = $1
            """, [id.pg]
        ).first.map(Self.tag)
    }

    /// Deletes a tag and says how many links carried it (they stay, without it).
    /// - Parameter id: the tag id.
    /// - Returns: `nil` when there was no such tag, else the number of links it was on.
    public func deleteCounting(_ id: EntityID) async throws -> Int? {
        try await pool.transaction { connection in
            let links = try connection.query("SELECT count(*) FROM link_tags WHERE tag_id = $1", [id.pg])[0].decode(0, as: Int.self)
            return try connection.execute("DELETE FROM tags WHERE id = $1", [id.pg]) == 0 ? nil : links
        }
    }

    /// Renames a tag; renaming onto an existing name is
    /// ``StorageError/Code/tagNameTaken``.
    /// - Parameters:
    ///   - id: the tag id.
    ///   - name: the new name.
    /// - Returns: whether a tag was renamed.
    public func rename(_ id: EntityID, to name: String) async throws -> Bool {
        let name = try Names.normalized(name, field: "name")
        return try await pool.execute("UPDATE tags SET name = $2 WHERE id = $1", [id.pg, name]) == 1
    }

    /// Deletes a tag; links keep living without it.
    /// - Parameter id: the tag id.
    /// - Returns: whether a tag was deleted.
    public func delete(_ id: EntityID) async throws -> Bool {
        try await pool.execute("DELETE FROM tags WHERE id = $1", [id.pg]) == 1
    }

    /// Creates missing tags and attaches exactly `names` to a link (others are detached).
    /// Runs inside the caller's transaction.
    static func replaceTags(of linkID: EntityID, with names: [String], on connection: PGConnection) throws {
        try connection.execute(
            "DELETE FROM link_tags WHERE link_id = $1 AND tag_id NOT IN (SELECT id FROM tags WHERE name = ANY($2))", [linkID.pg, names])
        guard !names.isEmpty else { return }
        try connection.execute("INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING", [names])
        try connection.execute(
            "INSERT INTO link_tags (link_id, tag_id) SELECT $1, id FROM tags WHERE name = ANY($2) ON CONFLICT DO NOTHING",
            [linkID.pg, names])
    }

    static func tag(_ row: PGRow) throws -> Tag {
        Tag(
            id: try row.id("id"), name: try row.decode("name"), linkCount: try row.decode("link_count", as: Int.self),
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}
