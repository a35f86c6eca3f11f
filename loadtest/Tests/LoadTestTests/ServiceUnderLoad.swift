import AdminAPI
import ClickPipeline
import Foundation
import RedirectServer
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage

/// `serve --role all` (edge, click pipeline, admin API) in this process on port 0, over a
/// test database, trusting 127.0.0.1 as a proxy (the mixed scenario's X-Forwarded-For), with
/// an admin token for the harness.
final class ServiceUnderLoad: Sendable {
    let db: TestDatabase
    let service: InProcessService
    let edgePort: Int
    let adminPort: Int
    let token: String

    init() async throws {
        let db = try await TestPostgres.database()
        self.db = db
        let edge = EdgeConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1, trustedProxies: [CIDR("127.0.0.1/32")!])
        let spool = NSTemporaryDirectory() + "loadtest-spool-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
        let configuration = AppConfiguration(
            database: .init(url: db.url), embedded: .init(), migrationsDirectory: TestPostgres.migrationsDirectory, edge: edge,
            // Yielding off: other suites load the CPUs and would hold the writes back, while
            // verify gives up after 5 s without a new row.
            clicks: ClickSettings(
                spoolDirectory: spool, journalSegmentBytes: 1 << 20, pipeline: ClickPipelineConfiguration(yielding: .never),
                geoIPDatabase: TestGeoIP.cityDatabasePath, geoIPEnabled: true),
            admin: AdminConfiguration(host: "127.0.0.1", port: 0, publicBaseURL: "https://sho.rt"))
        service = try await InProcessService(configuration: configuration, role: .all, pool: db.pool, databaseURL: db.url)
        edgePort = service.edgePort!
        adminPort = service.adminPort!
        let user = try await UserRepository(pool: db.pool).create(email: "loadtest@macondo.example", name: "Load Test")
        let secret = APITokenSecret.generate()
        _ = try await TokenRepository(pool: db.pool).create(userID: user.id, name: "loadtest", digest: secret.digest, prefix: secret.prefix)
        token = secret.token
    }

    /// The harness's flags for this service.
    var targetArguments: [String] {
        ["--base-url", "http://127.0.0.1:\(edgePort)", "--admin-url", "http://127.0.0.1:\(adminPort)", "--database-url", db.url]
    }

    /// Runs `body` with a started service, and stops it afterwards whatever happens.
    static func with(_ body: (ServiceUnderLoad) async throws -> Void) async throws {
        let service = try await ServiceUnderLoad()
        do {
            try await body(service)
        } catch {
            await service.stop()
            throw error
        }
        await service.stop()
    }

    /// Graceful shutdown, then the database goes.
    func stop() async {
        try? await service.shutdown()
        await db.drop()
    }
}

/// The debug build of `loadtest`, next to `shortlinks`.
enum LoadTestBinary {
    static var url: URL { ChildProcess.shortlinksExecutable.deletingLastPathComponent().appendingPathComponent("loadtest") }

    /// Runs it with the admin token in the environment (on a thread-pool thread).
    static func run(_ arguments: [String], token: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(url, arguments, environment: ["SHORTLINKS_ADMIN_TOKEN": token])
    }

    static func temporaryReport() -> String { NSTemporaryDirectory() + "loadtest-report-\(UUID().uuidString).json" }
}
