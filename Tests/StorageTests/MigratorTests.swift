import LibPQ
import Logging
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct MigratorTests {
    static let logger = Logger(label: "test")

    @Test func migrate_appliesInOrder_thenIsANoOp() async throws {
        let db = try await TestPostgres.cluster().makeDatabase(migrated: false)
        onTeardown { await db.drop() }
        let migrator = try Migrator(pool: db.pool, directory: TestPostgres.migrationsDirectory, logger: Self.logger)
        #expect(migrator.migrations.count >= 2)
        #expect(try await migrator.status().allSatisfy { $0.state == .pending })
        let applied = try await migrator.migrate()
        #expect(applied.map(\.version) == migrator.migrations.map(\.version))
        #expect(try await migrator.migrate().isEmpty)
        let states = try await migrator.status()
        #expect(states.allSatisfy { if case .applied = $0.state { true } else { false } })
        #expect(try await db.pool.query("SELECT count(*) FROM schema_migrations")[0].decode(0, as: Int.self) == migrator.migrations.count)
    }

    @Test func migrate_whenAppliedFileWasEdited_refusesAndChangesNothing() async throws {
        let db = try await TestPostgres.cluster().makeDatabase(migrated: false)
        onTeardown { await db.drop() }
        let first = Migration(version: 1, name: "0001_t", sql: "CREATE TABLE t (v int);")
        try await Migrator(pool: db.pool, migrations: [first], logger: Self.logger).migrate()
        var edited = first
        edited.sql = "CREATE TABLE t (v bigint);"
        let next = Migration(version: 2, name: "0002_u", sql: "CREATE TABLE u (v int);")
        let migrator = Migrator(pool: db.pool, migrations: [edited, next], logger: Self.logger)
        #expect(try await migrator.status().map(\.state) == [.modified, .pending])
        await #expect {
            try await migrator.migrate()
        } throws: { error in
            (error as? MigrationError)?.code == .modifiedAfterApply && "\(error)".contains("0001_t")
        }
        #expect(try await db.pool.query("SELECT to_regclass('u') IS NULL")[0].decode(0, as: Bool.self))
    }

    @Test func migrate_whenOneFails_rollsItBackAndKeepsEarlierOnes() async throws {
        let db = try await TestPostgres.cluster().makeDatabase(migrated: false)
        onTeardown { await db.drop() }
        let migrator = Migrator(
            pool: db.pool,
            migrations: [
                Migration(version: 1, name: "0001_ok", sql: "CREATE TABLE ok (v int);"),
                Migration(version: 2, name: "0002_bad", sql: "CREATE TABLE half (v int); SELECT * FROM missing_table;"),
            ], logger: Self.logger)
        await #expect(throws: MigrationError.self) { try await migrator.migrate() }
        #expect(try await migrator.status().map(\.state.isPending) == [false, true])
        #expect(try await db.pool.query("SELECT to_regclass('half') IS NULL")[0].decode(0, as: Bool.self))
    }

    @Test func load_refusesBadFileNames() throws {
        let directory = "/tmp/shortlinks-migrations-\(UInt32.random(in: 0...UInt32.max))"
        try FileFixture.write(["0001_a.sql": "SELECT 1;", "2_b.sql": "SELECT 1;"], to: directory)
        defer { FileFixture.remove(directory) }
        #expect(throws: MigrationError.self) { try Migrator.load(directory: directory) }
    }
}

extension MigrationStatus.State {
    var isPending: Bool { self == .pending }
}
