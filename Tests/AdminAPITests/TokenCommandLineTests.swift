import Foundation
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// `shortlinks tokens create --read-only --expires-in …` through the real binary, and the
/// lifetime texts it and the API accept.
@Suite struct TokenCommandLineTests {
    @Test func binary_createReadOnlyExpiringToken_keepsTheTokenLastAndStoresScopeAndExpiry() async throws {
        let db = try await TestPostgres.database()
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        let directory = binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let environment = ["DATABASE_URL": db.url]
        _ = try await ChildProcess.run(
            binary, ["users", "create", "--email", "ro@macondo.example", "--name", "RO"], environment: environment, directory: directory)
        let created = try await ChildProcess.run(
            binary, ["tokens", "create", "--email", "ro@macondo.example", "--name", "reports", "--read-only", "--expires-in", "30d"],
            environment: environment, directory: directory)
        #expect(created.status == 0, "\(created.stderr)")
        let secret = try #require(created.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        #expect(secret.hasPrefix("slk_") && secret.count == 47)
        #expect(created.stdout.contains("scope read-only"))
        let row = try await db.pool.query(
            "SELECT scope, extract(epoch FROM expires_at - now())::bigint FROM api_tokens WHERE token_hash = $1",
            [PGBytes(APITokenSecret.digest(of: secret))])[0]
        #expect(try row.decode(0, as: String.self) == "read-only")
        let left = try row.decode(1, as: Int64.self)
        #expect(left > 30 * 86_400 - 600 && left <= 30 * 86_400)
        let listed = try await ChildProcess.run(
            binary, ["tokens", "list", "--email", "ro@macondo.example"], environment: environment, directory: directory)
        #expect(listed.stdout.contains("read-only"))
        let bad = try await ChildProcess.run(
            binary, ["tokens", "create", "--email", "ro@macondo.example", "--expires-in", "forever"], environment: environment, directory: directory)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--expires-in"))
        let both = try await ChildProcess.run(
            binary, ["tokens", "create", "--email", "ro@macondo.example", "--expires-in", "1d", "--expires-at", "2099-01-01T00:00:00Z"],
            environment: environment, directory: directory)
        #expect(both.status != 0)
        #expect(try await db.pool.query("SELECT count(*) FROM api_tokens")[0].decode(0, as: Int.self) == 1)
        await db.drop()
    }

    @Test func lifetime_parsesDurations() {
        #expect(TokenLifetime.seconds("3600") == 3600)
        #expect(TokenLifetime.seconds("90m") == 5400)
        #expect(TokenLifetime.seconds("12h") == 43_200)
        #expect(TokenLifetime.seconds("30d") == 2_592_000)
        #expect(TokenLifetime.seconds("2w") == 1_209_600)
        for bad in ["", "d", "-5", "1.5h", "30 d", "30D", "٣٠d", "99999999999999w"] {
            #expect(TokenLifetime.seconds(bad) == nil, "\(bad)")
        }
    }
}
