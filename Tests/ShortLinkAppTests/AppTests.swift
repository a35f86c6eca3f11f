import LibPQ
import Logging
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct AppTests {
    @Test func configuration_environmentOverridesFileAndDefaults() async throws {
        let configuration = try await AppConfiguration.load(
            environment: [
                "DATABASE_URL": "postgresql:///elsewhere?host=/tmp",
                "SHORTLINKS_DATABASE_MAX_CONNECTIONS": "3",
                "SHORTLINKS_EMBEDDED_DATA_DIRECTORY": "/tmp/somewhere",
            ],
            configFile: "/nonexistent/shortlinks.json")
        #expect(configuration.database.url == "postgresql:///elsewhere?host=/tmp")
        #expect(configuration.database.maxConnections == 3)
        #expect(configuration.database.connectTimeoutSeconds == 5)
        #expect(configuration.embedded.dataDirectory == "/tmp/somewhere")

        let defaults = try await AppConfiguration.load(environment: [:], configFile: "/nonexistent/shortlinks.json")
        #expect(defaults.database.url == nil)
        #expect(defaults.embedded.dataDirectory == ".data/postgres")
    }

    @Test func seedDemo_createsTaggedLinksOnce() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let first = try await DemoSeeder(pool: db.pool).seed()
        #expect(first.created)
        let second = try await DemoSeeder(pool: db.pool).seed()
        #expect(!second.created)
        let links = try await LinkRepository(pool: db.pool).list()
        #expect(links.count == first.links.count)
        #expect(links.allSatisfy { $0.tags.contains("demo") })
        #expect(try await ClientRepository(pool: db.pool).list().count == 2)
        let campaignLinks = links.filter { $0.campaignID != nil }
        #expect(campaignLinks.count == 3)
    }

    @Test func operations_migrateAndStatus_throughTheBootstrapOnDatabaseURL() async throws {
        let db = try await TestPostgres.cluster().makeDatabase(migrated: false)
        onTeardown { await db.drop() }
        let configuration = AppConfiguration(
            database: .init(url: db.url, maxConnections: 2, connectTimeoutSeconds: 5),
            embedded: .init(dataDirectory: "/nonexistent", databaseName: "unused"),
            migrationsDirectory: TestPostgres.migrationsDirectory)
        let operations = Operations(bootstrap: DatabaseBootstrap(configuration: configuration, logger: Logger(label: "test")))
        let before = try await operations.migrationStatus()
        #expect(before.pending >= 2)
        let applied = try await operations.migrate()
        #expect(applied.last == "applied \(before.pending) migration(s)")
        #expect(try await operations.migrate() == ["database is up to date"])
        #expect(try await operations.migrationStatus().pending == 0)
    }
}
