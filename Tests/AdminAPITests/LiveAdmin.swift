import Foundation
import LibPQ
import NIOPosix
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage

@testable import AdminAPI

/// The real admin listener (`serve --role admin`'s assembly) on a loopback port over its own
/// database, with one staff user; requests go over TCP like a browser's or curl's.
final class LiveAdmin: Sendable {
    let db: TestDatabase
    let service: InProcessService
    let port: Int
    let user: User

    /// - Parameter configure: changes to the admin settings (CORS, rate limit, public URL).
    static func start(_ configure: (inout AdminConfiguration) -> Void = { _ in }) async throws -> LiveAdmin {
        let db = try await TestPostgres.database()
        var admin = AdminConfiguration(host: "127.0.0.1", port: 0, publicBaseURL: "https://sho.rt")
        configure(&admin)
        let configuration = AppConfiguration(
            database: .init(url: db.url), embedded: .init(), migrationsDirectory: TestPostgres.migrationsDirectory,
            clicks: ClickSettings(geoIPEnabled: false), admin: admin)
        let user = try await UserRepository(pool: db.pool).create(email: "live@macondo.example", name: "Live")
        do {
            let service = try await InProcessService(configuration: configuration, role: .admin, pool: db.pool, databaseURL: db.url)
            return LiveAdmin(db: db, service: service, port: service.adminPort!, user: user)
        } catch {
            await db.drop()
            throw error
        }
    }

    private init(db: TestDatabase, service: InProcessService, port: Int, user: User) {
        self.db = db
        self.service = service
        self.port = port
        self.user = user
    }

    /// A new token for the staff user.
    func token(scope: APIToken.Scope = .readWrite, expiresAt: Timestamp? = nil) async throws -> String {
        let secret = APITokenSecret.generate()
        _ = try await TokenRepository(pool: db.pool).create(
            userID: user.id, name: "live", digest: secret.digest, prefix: secret.prefix, expiresAt: expiresAt, scope: scope)
        return secret.token
    }

    /// One request on a fresh connection (on a thread-pool thread: the socket calls block).
    func request(
        _ method: String, _ path: String, token: String? = nil, headers: [String] = [], body: String? = nil
    ) async throws -> LoopbackHTTP.Response {
        var lines = headers
        if let token { lines.append("Authorization: Bearer \(token)") }
        if body != nil { lines.append("Content-Type: application/json") }
        let port = port
        let headerLines = lines
        return try await NIOThreadPool.singleton.runIfActive {
            try LoopbackHTTP.request(port: port, path: path, method: method, headers: headerLines, body: body)
        }
    }

    func stop() async {
        try? await service.shutdown()
        await db.drop()
    }
}
