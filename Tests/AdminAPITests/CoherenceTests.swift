import ClickPipeline
import Foundation
import Logging
import NIOPosix
import Prometheus
import RedirectServer
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// Links changed through the API redirect at the edge within a second: in the same process
/// (the assembly of `serve --role all`) and in another instance on the same database.
@Suite struct CoherenceTests {
    /// `serve --role all` on port 0 over a test database, with a token for the API.
    final class RunningService: Sendable {
        let service: InProcessService
        var assembly: ServiceAssembly { service.assembly }
        let edgePort: Int
        let adminPort: Int
        let token: String
        let clientID: EntityID

        init(db: TestDatabase) async throws {
            var edge = EdgeConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1)
            edge.captureFlushMilliseconds = 50
            // The real role `all`: edge, click pipeline (journal in a scratch folder) and admin.
            let spool = NSTemporaryDirectory() + "admin-spool-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            let configuration = AppConfiguration(
                database: .init(url: db.url), embedded: .init(), migrationsDirectory: TestPostgres.migrationsDirectory, edge: edge,
                clicks: ClickSettings(
                    spoolDirectory: spool, journalSegmentBytes: 1 << 20,
                    pipeline: ClickPipelineConfiguration(yielding: .never), geoIPEnabled: false),
                admin: AdminConfiguration(host: "127.0.0.1", port: 0, publicBaseURL: "https://sho.rt"))
            service = try await InProcessService(configuration: configuration, role: .all, pool: db.pool, databaseURL: db.url)
            edgePort = service.edgePort!
            adminPort = service.adminPort!
            let user = try await UserRepository(pool: db.pool).create(email: "coherence@macondo.example", name: "C")
            let secret = APITokenSecret.generate()
            _ = try await TokenRepository(pool: db.pool).create(userID: user.id, name: "t", digest: secret.digest, prefix: secret.prefix)
            token = secret.token
            clientID = try await ClientRepository(pool: db.pool).create(name: "Coherence").id
        }

        /// One admin request over loopback (on a thread-pool thread).
        func admin(_ method: String, _ path: String, _ body: String? = nil, auth: Bool = true) async throws -> LoopbackHTTP.Response {
            let port = adminPort
            let headers = auth ? ["Authorization: Bearer \(token)", "Content-Type: application/json"] : []
            return try await NIOThreadPool.singleton.runIfActive {
                try LoopbackHTTP.request(port: port, path: path, method: method, headers: headers, body: body)
            }
        }

        func stop() async {
            try? await service.shutdown()
        }
    }

    /// Polls an edge until `condition` holds; the time it took, or `nil`.
    static func waitFor(port: Int, _ path: String, timeout: Duration = .seconds(1), _ condition: @Sendable (LoopbackHTTP.Response) -> Bool) async
        -> Duration?
    {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            let response = try? await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: path) }
            if let response, condition(response) { return ContinuousClock.now - start }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    @Test func linkCreatedChangedAndDeletedThroughAPI_redirectsAtTheEdgeOfTheSameProcessWithinOneSecond() async throws {
        let db = try await TestPostgres.database()
        let service = try await RunningService(db: db)
        let ready = try await service.admin("GET", "/readyz", auth: false)
        #expect(ready.status == 200)
        #expect(ready.body.contains(#""linkCache":"loaded""#))
        #expect(ready.body.contains(#""migrations":"current""#))

        let created = try await service.admin(
            "POST", "/api/v1/links",
            #"{"shortCode":"same-proc","originalUrl":"https://example.com/one","clientId":"\#(service.clientID)"}"#)
        #expect(created.status == 201)
        let id = try #require(JSONValue.parse(Array(created.body.utf8))?["id"]?.stringValue)
        let inserted = await Self.waitFor(port: service.edgePort, "/same-proc") { $0.location == "https://example.com/one" }
        #expect(inserted != nil, "create not served within 1 s")

        let patched = try await service.admin("PATCH", "/api/v1/links/\(id)", #"{"originalUrl":"https://example.com/two","redirectStatus":307}"#)
        #expect(patched.status == 200)
        let updated = await Self.waitFor(port: service.edgePort, "/same-proc") { $0.status == 307 && $0.location == "https://example.com/two" }
        #expect(updated != nil, "change not served within 1 s")

        let renamed = try await service.admin("PATCH", "/api/v1/links/\(id)", #"{"shortCode":"renamed"}"#)
        #expect(renamed.status == 200)
        #expect(await Self.waitFor(port: service.edgePort, "/renamed") { $0.location == "https://example.com/two" } != nil)
        #expect(await Self.waitFor(port: service.edgePort, "/same-proc") { $0.status == 404 } != nil)

        let deleted = try await service.admin("DELETE", "/api/v1/links/\(id)")
        #expect(deleted.status == 204)
        #expect(await Self.waitFor(port: service.edgePort, "/renamed") { $0.status == 404 } != nil, "delete not served within 1 s")

        let metrics = try await service.admin("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("shortlinks_admin_requests_total"))
        #expect(metrics.body.contains("shortlinks_click_queue_clicks"), "the click pipeline's series are in the same registry")
        #expect(
            service.assembly.metrics.emitToString().contains("shortlinks_admin_requests_total"), "the assembly owns the registry /metrics renders")
        await service.stop()
        await db.drop()
    }

    @Test func linkCreatedThroughAPI_redirectsAtAnotherInstanceWithinOneSecond() async throws {
        let db = try await TestPostgres.database()
        let service = try await RunningService(db: db)
        let other = EdgeServer(
            configuration: EdgeConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1),
            links: PostgresLinkSource(pool: db.pool, listenerURL: db.url, logger: Logger(label: "test.other")),
            clicks: RecordingClickSink(), logger: Logger(label: "test.other"))
        let otherTask = Task { try await other.run() }
        let otherPort = try await other.waitUntilListening(timeout: .seconds(30))

        let created = try await service.admin(
            "POST", "/api/v1/links/bulk",
            #"{"links":[{"shortCode":"elsewhere","originalUrl":"https://example.com/e","clientId":"\#(service.clientID)"}]}"#)
        #expect(created.status == 200)
        #expect(await Self.waitFor(port: otherPort, "/elsewhere") { $0.location == "https://example.com/e" } != nil)
        let clientDeleted = try await service.admin("DELETE", "/api/v1/clients/\(service.clientID)")
        #expect(clientDeleted.status == 200)
        #expect(await Self.waitFor(port: otherPort, "/elsewhere") { $0.status == 404 } != nil, "cascaded delete not served within 1 s")

        otherTask.cancel()
        _ = try? await otherTask.value
        await service.stop()
        await db.drop()
    }

    @Test func serveRoleAdmin_runsOnlyTheAdminListener() async throws {
        let db = try await TestPostgres.database()
        let configuration = AppConfiguration(
            database: .init(url: db.url), embedded: .init(), migrationsDirectory: TestPostgres.migrationsDirectory,
            admin: AdminConfiguration(host: "127.0.0.1", port: 0))
        let service = try await InProcessService(configuration: configuration, role: .admin, pool: db.pool, databaseURL: db.url)
        #expect(service.assembly.edge == nil)
        #expect(service.assembly.clicks == nil)
        let port = try #require(service.adminPort)
        let ready = try await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: "/readyz") }
        #expect(ready.status == 200)
        #expect(!ready.body.contains("linkCache"), "no edge in this process")
        try? await service.shutdown()
        await db.drop()
    }
}
