public import Storage

extension TestDatabase {
    /// The test database as the admin API and the other Storage callers take it.
    public var database: Database { Database(pool: pool) }
}
