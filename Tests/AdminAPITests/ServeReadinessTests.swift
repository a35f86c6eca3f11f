import AdminAPI
import ClickPipeline
import Foundation
import NIOPosix
import RedirectServer
import ShortLinkApp
import ShortLinkTesting
import Testing

/// `/readyz` of the real `serve --role all` assembly: every check of the process, and the
/// configured journal-space minimum.
@Suite struct ServeReadinessTests {
    static func serve(_ db: TestDatabase, clicks: (String) -> ClickSettings) async throws -> InProcessService {
        let spool = NSTemporaryDirectory() + "readyz-spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let configuration = AppConfiguration(
            database: .init(url: db.url), embedded: .init(), migrationsDirectory: TestPostgres.migrationsDirectory,
            edge: EdgeConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1), clicks: clicks(spool),
            admin: AdminConfiguration(host: "127.0.0.1", port: 0, publicBaseURL: "https://sho.rt"))
        return try await InProcessService(configuration: configuration, role: .all, pool: db.pool, databaseURL: db.url)
    }

    static func readyz(_ service: InProcessService) async throws -> LoopbackHTTP.Response {
        let port = try #require(service.adminPort)
        return try await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: "/readyz") }
    }

    @Test func readyz_ofRoleAll_reportsEveryCheck() async throws {
        let db = try await TestPostgres.database()
        let service = try await Self.serve(db) { spool in
            ClickSettings(
                spoolDirectory: spool, journalSegmentBytes: 1 << 20, pipeline: ClickPipelineConfiguration(yielding: .never), geoIPEnabled: false)
        }
        let reply = try await Self.readyz(service)
        try? await service.shutdown()
        await db.drop()
        #expect(reply.status == 200)
        for member in [
            #""status":"ready""#, #""database":"ok""#, #""migrations":"current""#, #""writePath":"ok""#,
            #""journalSpace":"ok""#, #""clickWriter":"ok""#, #""linkCache":"loaded""#,
        ] {
            #expect(reply.body.contains(member), "\(member) missing in \(reply.body)")
        }
    }

    @Test func readyz_whenTheSpoolDiskHasLessThanTheMinimumFree_is503NamingJournalSpace() async throws {
        let db = try await TestPostgres.database()
        let service = try await Self.serve(db) { spool in
            // More than any test machine's disk: the check must fail.
            ClickSettings(
                spoolDirectory: spool, journalSegmentBytes: 1 << 20, pipeline: ClickPipelineConfiguration(yielding: .never),
                geoIPEnabled: false, journalMinFreeBytes: 1 << 60)
        }
        let reply = try await Self.readyz(service)
        try? await service.shutdown()
        await db.drop()
        #expect(reply.status == 503)
        #expect(reply.body.contains(#""journalSpace":"low""#))
        #expect(reply.body.contains(#""check":"journalSpace""#))
        #expect(reply.body.contains("clicks.journalMinFreeBytes"))
    }

    @Test func readinessKeys_areReadFromTheEnvironment() async throws {
        let configuration = try await AppConfiguration.load(
            environment: ["SHORTLINKS_CLICKS_UNHEALTHY_AFTER_SECONDS": "12", "SHORTLINKS_CLICKS_JOURNAL_MIN_FREE_BYTES": "1048576"],
            configFile: "/nonexistent/shortlinks.json")
        #expect(configuration.clicks.unhealthyAfterSeconds == 12)
        #expect(configuration.clicks.journalMinFreeBytes == 1 << 20)
        let defaults = try await AppConfiguration.load(environment: [:], configFile: "/nonexistent/shortlinks.json")
        #expect(defaults.clicks.unhealthyAfterSeconds == 30)
        #expect(defaults.clicks.journalMinFreeBytes == 64 << 20)
        await #expect(throws: (any Error).self) {
            _ = try await AppConfiguration.load(
                environment: ["SHORTLINKS_CLICKS_UNHEALTHY_AFTER_SECONDS": "0"], configFile: "/nonexistent/shortlinks.json")
        }
    }
}
