import ClickPipeline
import Foundation
import LibPQ
import Logging
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Testing

@Suite(.teardown) struct ClickSettingsTests {
    @Test func rollupKeys_areReadFromTheEnvironment_andALeaseShorterThanTwoIntervalsIsRefused() async throws {
        let file = "/nonexistent/shortlinks.json"
        let defaults = try await AppConfiguration.load(environment: [:], configFile: file).clicks.rollups
        #expect(defaults.inMemory)
        #expect(defaults.ownerLeaseSeconds == 120)
        let set = try await AppConfiguration.load(
            environment: ["SHORTLINKS_ROLLUPS_IN_MEMORY": "false", "SHORTLINKS_ROLLUPS_OWNER_LEASE_SECONDS": "600"], configFile: file
        ).clicks.rollups
        #expect(!set.inMemory)
        #expect(set.ownerLeaseSeconds == 600)
        // Without a lease of its own, a long interval gets four of them.
        let long = try await AppConfiguration.load(environment: ["SHORTLINKS_ROLLUPS_INTERVAL_SECONDS": "300"], configFile: file)
        #expect(long.clicks.rollups.ownerLeaseSeconds == 1200)
        let refused = await #expect(throws: AppError.self) {
            try await AppConfiguration.load(
                environment: ["SHORTLINKS_ROLLUPS_INTERVAL_SECONDS": "60", "SHORTLINKS_ROLLUPS_OWNER_LEASE_SECONDS": "90"],
                configFile: file)
        }
        #expect(refused?.message.contains("rollups.ownerLeaseSeconds") == true)
    }

    @Test func clickKeys_areReadFromTheEnvironment() async throws {
        let configuration = try await AppConfiguration.load(
            environment: [
                "SHORTLINKS_CLICKS_SPOOL_DIR": "/tmp/spool-x",
                "SHORTLINKS_CLICKS_ANONYMIZE_IP": "false",
                "SHORTLINKS_CLICKS_MAX_CLICKS_PER_WRITE": "500",
                "SHORTLINKS_CLICKS_CATCH_UP_CLICKS_PER_WRITE": "2000",
                "SHORTLINKS_CLICKS_YIELD_TO_EDGE": "false",
                "SHORTLINKS_CLICKS_YIELD_PRESSURE": "0.5",
                "SHORTLINKS_CLICKS_MAX_DEFER_SECONDS": "4",
                "SHORTLINKS_CLICKS_WRITERS": "3",
                "SHORTLINKS_RETENTION_RAW_CLICKS_MONTHS": "13",
                "SHORTLINKS_GEOIP_DB": "/tmp/city.mmdb",
                "SHORTLINKS_GEOIP_ENABLED": "false",
                "SHORTLINKS_BOTS_IP_LISTS": "monitoring=192.0.2.0/24|198.51.100.7;office=2001:db8::/32",
            ],
            configFile: "/nonexistent/shortlinks.json")
        let clicks = configuration.clicks
        #expect(clicks.spoolDirectory == "/tmp/spool-x")
        #expect(clicks.anonymizeIP == false)
        #expect(clicks.pipeline.maxClicksPerWrite == 500)
        #expect(clicks.pipeline.catchUpClicksPerWrite == 2000)
        #expect(clicks.pipeline.writers == 3)
        #expect(clicks.pipeline.yielding == WriteYielding(enabled: false, pressureThreshold: 0.5, maxDeferSeconds: 4))
        #expect(clicks.pipeline.retentionMonths == 13)
        #expect(clicks.geoIPDatabase == "/tmp/city.mmdb")
        #expect(clicks.geoIPEnabled == false)
        #expect(clicks.botIPLists["monitoring"] == [CIDR("192.0.2.0/24")!, CIDR("198.51.100.7")!])
        #expect(clicks.botIPLists["office"] == [CIDR("2001:db8::/32")!])

        let defaults = try await AppConfiguration.load(environment: [:], configFile: "/nonexistent/shortlinks.json")
        #expect(defaults.clicks.spoolDirectory == ".data/spool")
        #expect(defaults.clicks.anonymizeIP)
        #expect(defaults.clicks.geoIPEnabled)
        #expect(defaults.clicks.pipeline.retentionMonths == nil)
        #expect(defaults.clicks.pipeline.maxClicksPerWrite == 10_000)
        #expect(defaults.clicks.pipeline.catchUpClicksPerWrite == 50_000)
        #expect(defaults.clicks.pipeline.writers == 2)
        #expect(defaults.clicks.pipeline.yielding == WriteYielding(enabled: true, pressureThreshold: 0.2, maxDeferSeconds: 30))
        // A larger write size without a catch-up size: catch-up follows it.
        let large = try await AppConfiguration.load(
            environment: ["SHORTLINKS_CLICKS_MAX_CLICKS_PER_WRITE": "80000"], configFile: "/nonexistent/shortlinks.json")
        #expect(large.clicks.pipeline.catchUpClicksPerWrite == 80_000)
        let earlierName = try await AppConfiguration.load(
            environment: ["SHORTLINKS_CLICKS_RETENTION_MONTHS": "5"], configFile: "/nonexistent/shortlinks.json")
        #expect(earlierName.clicks.pipeline.retentionMonths == 5)
        await #expect(throws: AppError.self) {
            try await AppConfiguration.load(
                environment: ["SHORTLINKS_RETENTION_RAW_CLICKS_MONTHS": "-1"], configFile: "/nonexistent/shortlinks.json")
        }
    }

    @Test(arguments: [
        ["SHORTLINKS_BOTS_IP_LISTS": "monitoring"],
        ["SHORTLINKS_BOTS_IP_LISTS": "monitoring=not-a-cidr"],
        ["SHORTLINKS_CLICKS_MEMORY_BOUND_BYTES": "0"],
        ["SHORTLINKS_CLICKS_DRAIN_TIMEOUT_SECONDS": "-1"],
        ["SHORTLINKS_CLICKS_CATCH_UP_CLICKS_PER_WRITE": "100"],
        ["SHORTLINKS_CLICKS_YIELD_PRESSURE": "0"],
        ["SHORTLINKS_CLICKS_YIELD_PRESSURE": "1.5"],
        ["SHORTLINKS_CLICKS_MAX_DEFER_SECONDS": "-1"],
        ["SHORTLINKS_CLICKS_WRITERS": "0"],
        ["SHORTLINKS_CLICKS_WRITERS": "8"],
        ["SHORTLINKS_CLICKS_WRITERS": "4", "SHORTLINKS_DATABASE_MAX_CONNECTIONS": "4"],
    ])
    func badClickSettings_stopTheStart(environment: [String: String]) async throws {
        await #expect(throws: AppError.self) {
            try await AppConfiguration.load(environment: environment, configFile: "/nonexistent/shortlinks.json")
        }
    }

    @Test func aMissingGeoIPDatabase_isAClearStartupError_unlessGeoIPIsOff() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        var configuration = AppConfiguration(
            database: .init(url: db.url), embedded: .init(),
            clicks: ClickSettings(spoolDirectory: temporarySpool(), geoIPDatabase: "/nonexistent/city.mmdb", geoIPEnabled: true))
        do {
            _ = try ServiceAssembly.build(
                configuration: configuration, role: .edge, pool: db.pool, databaseURL: db.url, logger: Logger(label: "test"))
            Issue.record("a missing GeoIP database must stop the start")
        } catch let error as AppError {
            #expect(error.description.contains("/nonexistent/city.mmdb"))
        }
        configuration.clicks.geoIPEnabled = false
        let assembly = try ServiceAssembly.build(
            configuration: configuration, role: .edge, pool: db.pool, databaseURL: db.url, logger: Logger(label: "test"))
        #expect(assembly.clicks != nil)
        await assembly.shutdown()
    }
}
