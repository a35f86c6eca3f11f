import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LibPQ
import Logging
import NIOCore
import Prometheus
import ShortLinkCore
import ShortLinkTesting
import Storage

@testable import AdminAPI

/// One test's admin API over its own migrated database, with a staff user and an API token.
struct AdminHarness: Sendable {
    let db: TestDatabase
    let api: AdminAPI
    let registry: PrometheusCollectorRegistry
    let user: User
    let token: String

    static let publicBaseURL = "https://sho.rt"

    static func make(
        auth: AuthConfiguration = AuthConfiguration(), readiness: ReadinessChecks = ReadinessChecks(), maxBulkLinks: Int = 1000,
        maxBodyBytes: Int = 10 << 20
    ) async throws -> AdminHarness {
        let db = try await TestPostgres.database()
        let registry = PrometheusCollectorRegistry()
        let configuration = AdminConfiguration(
            host: "127.0.0.1", port: 0, publicBaseURL: publicBaseURL, maxBodyBytes: maxBodyBytes, maxBulkLinks: maxBulkLinks, auth: auth)
        let api = AdminAPI(
            configuration: configuration, database: db.database, metrics: registry, readiness: readiness, logger: Logger(label: "test.admin"))
        let user = try await UserRepository(pool: db.pool).create(email: "staff@macondo.example", name: "Staff")
        let secret = APITokenSecret.generate()
        _ = try await TokenRepository(pool: db.pool).create(userID: user.id, name: "test", digest: secret.digest, prefix: secret.prefix)
        return AdminHarness(db: db, api: api, registry: registry, user: user, token: secret.token)
    }

    /// Runs `body` against the router (Hummingbird's test client), then drops the database.
    func run(_ body: @Sendable (AdminClient) async throws -> Void) async throws {
        let app = Application(router: api.makeRouter())
        do {
            try await app.test(.router) { client in try await body(AdminClient(client: client, token: token)) }
        } catch {
            await db.drop()
            throw error
        }
        await db.drop()
    }

    /// A client (with its id) the tests can hang links on.
    func makeClient(_ name: String = "Acme") async throws -> Client {
        try await ClientRepository(pool: db.pool).create(name: name)
    }

    /// A digest of every row the API can change (token use times excluded: every authenticated
    /// request may touch them), to show a refused request changed nothing.
    func snapshot() async throws -> String {
        try await db.pool.query(
            """
            SELECT md5(concat_ws('|',
              (SELECT string_agg(u::text, ',' ORDER BY u.id) FROM users u),
              (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM clients c),
              (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM campaigns c),
              (SELECT string_agg(l::text, ',' ORDER BY l.id) FROM links l),
              (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM tags t),
              (SELECT string_agg(lt::text, ',' ORDER BY lt.link_id, lt.tag_id) FROM link_tags lt),
              (SELECT string_agg(concat_ws(':', a.id, a.name, a.revoked_at, a.expires_at), ',' ORDER BY a.id) FROM api_tokens a)))
            """)[0].decode(0, as: String.self)
    }

    func count(_ table: String) async throws -> Int {
        // Table names come from the tests, never from input.
        try await db.pool.query("SELECT count(*) FROM \(table)")[0].decode(0, as: Int.self)
    }
}

/// A reply with its body parsed.
struct Reply: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: String
    var json: JSONValue

    /// `code` of a problem document.
    var code: String? { json["code"]?.stringValue }
    /// The `field`s of a problem's `errors`.
    var fields: [String] { json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [] }
    /// The `code`s of a problem's `errors`.
    var ruleCodes: [String] { json["errors"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? [] }
    var contentType: String? { headers[.contentType] }
}

/// Sends requests with the harness's token unless told otherwise.
struct AdminClient: Sendable {
    let client: any TestClientProtocol
    let token: String

    enum Credentials: Sendable {
        case harness
        case none
        case header(String)
    }

    func send(
        _ method: HTTPRequest.Method, _ path: String, json: String? = nil, auth: Credentials = .harness,
        contentType: String? = "application/json"
    ) async throws -> Reply {
        var headers = HTTPFields()
        switch auth {
        case .harness: headers[.authorization] = "Bearer \(token)"
        case .none: break
        case .header(let value): headers[.authorization] = value
        }
        if json != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let text = String(buffer: response.body)
        return Reply(
            status: response.status.code, headers: response.headers, body: text,
            json: JSONValue.parse(Array(text.utf8)) ?? .null)
    }

    func get(_ path: String, auth: Credentials = .harness) async throws -> Reply { try await send(.get, path, auth: auth) }
    func post(_ path: String, _ json: String, auth: Credentials = .harness) async throws -> Reply {
        try await send(.post, path, json: json, auth: auth)
    }
    func patch(_ path: String, _ json: String) async throws -> Reply { try await send(.patch, path, json: json) }
    func delete(_ path: String) async throws -> Reply { try await send(.delete, path) }
}
