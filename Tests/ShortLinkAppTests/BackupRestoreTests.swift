import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import ShortLinkApp

/// `shortlinks backup` and `shortlinks restore` through the real binary: a round trip of
/// links, tags, clicks and rollups into an empty database; a non-empty target refused
/// unless forced; the password never shown.
@Suite struct BackupRestoreTests {
    /// Every table the round trip must carry, each as an ordered digest of its rows.
    static let tables = [
        "users", "clients", "campaigns", "links", "tags", "link_tags", "clicks", "api_tokens",
        "link_rollups_hourly", "link_rollups_daily", "link_rollups_monthly", "link_rollups_dimensions",
        "scope_rollups_hourly", "scope_rollups_daily", "scope_rollups_dimensions", "schema_migrations",
    ]

    static func digests(_ pool: PGPool) async throws -> [String: String] {
        var result: [String: String] = [:]
        for table in tables {
            // Table names are the constants above.
            result[table] = try await pool.query(
                "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t"
            )[0].decode(0, as: String.self)
        }
        // The schema's code too: functions (rollups, partitions), triggers (NOTIFY), indexes.
        result["schema"] = try await pool.query(
            """
            SELECT (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.prokind = 'f' AND NOT EXISTS
                      (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e'))
                || '|' || (SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger WHERE NOT tgisinternal)
                || '|' || (SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public')
            """)[0].decode(0, as: String.self)
        return result
    }

    /// A URL with a password the trust-authenticated test cluster ignores, so the test can
    /// look for it in everything the commands print.
    static func withPassword(_ url: String, _ password: String) -> String {
        url.replacingOccurrences(of: "postgresql:///", with: "postgresql://postgres:\(password)@/")
    }

    static func run(_ arguments: [String], url: String) async throws -> ChildProcess.Result {
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        return try await ChildProcess.run(
            binary, arguments, environment: ["DATABASE_URL": url],
            directory: binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    }

    @Test func backupThenRestore_intoAnEmptyDatabase_carriesEveryRow() async throws {
        let source = try await TestPostgres.database()
        _ = try await ClickSeeder(pool: source.pool).seed(ClickSeeder.Plan(clicks: 2_000, links: 30, days: 3)) { _ in }
        let before = try await Self.digests(source.pool)
        #expect(before["clicks"]?.hasPrefix("2000:") == true)
        #expect(before["link_rollups_daily"]?.hasPrefix("0:") == false, "the seed rolled the clicks up")
        #expect(before["link_tags"]?.hasPrefix("0:") == false)

        let password = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let file = NSTemporaryDirectory() + "backup-\(UUID().uuidString).dump"
        let backup = try await Self.run(["backup", "-o", file], url: Self.withPassword(source.url, password))
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("2000 clicks"))
        #expect(FileManager.default.fileExists(atPath: file) && !FileManager.default.fileExists(atPath: file + ".partial"))
        let magic = try FileHandle(forReadingFrom: URL(fileURLWithPath: file)).read(upToCount: 5)
        #expect(magic == Data("PGDMP".utf8), "custom format")

        let cluster = try await TestPostgres.cluster()
        let target = try await cluster.makeDatabase(migrated: false)
        let restore = try await Self.run(["restore", file], url: Self.withPassword(target.url, password))
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("2000 clicks"))
        #expect(try await Self.digests(target.pool) == before)

        // Now the target holds data: a second restore is refused and changes nothing …
        try await target.pool.execute("DELETE FROM link_tags WHERE link_id = (SELECT id FROM links ORDER BY id LIMIT 1)")
        let changed = try await Self.digests(target.pool)
        let refused = try await Self.run(["restore", file], url: Self.withPassword(target.url, password))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("not empty") && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(try await Self.digests(target.pool) == changed)
        // … unless forced, which puts the archive's rows back.
        let forced = try await Self.run(["restore", "--force", file], url: Self.withPassword(target.url, password))
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try await Self.digests(target.pool) == before)

        // A damaged archive (cut in half) changes nothing, even forced: one transaction.
        let archive = try Data(contentsOf: URL(fileURLWithPath: file))
        let damaged = file + ".half"
        try archive.prefix(archive.count / 2).write(to: URL(fileURLWithPath: damaged))
        try await target.pool.execute("DELETE FROM link_tags WHERE link_id = (SELECT id FROM links ORDER BY id LIMIT 1)")
        let beforeDamaged = try await Self.digests(target.pool)
        let broken = try await Self.run(["restore", "--force", damaged], url: Self.withPassword(target.url, password))
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("the database is unchanged"), "\(broken.stderr)")
        #expect(try await Self.digests(target.pool) == beforeDamaged)
        try? FileManager.default.removeItem(atPath: damaged)

        for output in [backup, restore, refused, forced, broken] {
            #expect(!output.stdout.contains(password) && !output.stderr.contains(password), "the password is never printed")
        }
        try? FileManager.default.removeItem(atPath: file)
        await target.drop()
        await source.drop()
    }

    @Test func restore_ofAFileThatIsNoArchive_failsClearly_withoutThePassword() async throws {
        let cluster = try await TestPostgres.cluster()
        let target = try await cluster.makeDatabase(migrated: false)
        let password = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let file = NSTemporaryDirectory() + "not-a-backup-\(UUID().uuidString).dump"
        try "hello".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await Self.run(["restore", file], url: Self.withPassword(target.url, password))
        let missing = try await Self.run(["restore", file + ".missing"], url: Self.withPassword(target.url, password))
        #expect(result.status != 0)
        #expect(result.stderr.contains("pg_restore could not read"), "\(result.stderr)")
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read"))
        for output in [result, missing] { #expect(!output.stderr.contains(password) && !output.stdout.contains(password)) }
        try? FileManager.default.removeItem(atPath: file)
        await target.drop()
    }

    @Test func connectionSecret_takesThePasswordOutOfEveryForm() {
        let url = ConnectionSecret(splitting: "postgresql://app:p%40ss@db1:5432,db2:5432/links?sslmode=require")
        #expect(url == ConnectionSecret(connection: "postgresql://app@db1:5432,db2:5432/links?sslmode=require", password: "p@ss"))
        let query = ConnectionSecret(splitting: "postgres:///links?host=/tmp&password=hunter2&user=app")
        #expect(query == ConnectionSecret(connection: "postgres:///links?host=/tmp&user=app", password: "hunter2"))
        let keywords = ConnectionSecret(splitting: "host=db user=app password='xyz' dbname=links")
        #expect(keywords == ConnectionSecret(connection: "host=db user=app dbname=links", password: "xyz"))
        let none = ConnectionSecret(splitting: "postgresql:///links?host=/tmp")
        #expect(none.password == nil && none.connection == "postgresql:///links?host=/tmp")
        #expect(url.redacting("failed for p@ss and p%40ss") == "failed for *** and ***")
    }
}
