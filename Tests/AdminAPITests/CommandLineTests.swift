import Foundation
import LibPQ
import NIOPosix
import ShortLinkCore
import ShortLinkTesting
import Storage
import Synchronization
import Testing

@testable import AdminAPI
@testable import ShortLinkApp

/// `shortlinks users|tokens|links import`: through the operations and through the real binary.
@Suite struct CommandLineTests {
    @Test func createToken_printsTheTokenAsLastWordOfLastLine_andStoresOnlyItsDigest() async throws {
        let db = try await TestPostgres.database()
        let staff = StaffOperations(pool: db.pool)
        let created = try await staff.createUser(email: "ops@macondo.example", name: "  Ops  ")
        #expect(created.last?.contains("ops@macondo.example (Ops)") == true)
        let lines = try await staff.createToken(email: "OPS@macondo.example", name: "deploy")
        let token = try #require(lines.last?.split(separator: " ").last.map(String.init))
        #expect(token.hasPrefix("slk_"))
        let stored = try await db.pool.query("SELECT token_hash, token_prefix, name FROM api_tokens")[0]
        #expect(try stored.decode(0, as: PGBytes.self).bytes == APITokenSecret.digest(of: token))
        #expect(try stored.decode(1, as: String.self) == String(token.prefix(12)))
        #expect(try stored.decode(2, as: String.self) == "deploy")
        let listed = try await staff.listTokens(email: "ops@macondo.example")
        #expect(listed.count == 2)
        #expect(listed[1].contains("active"))
        #expect(!listed.joined().contains(token))
        let id = try await db.pool.query("SELECT id::text FROM api_tokens")[0].decode(0, as: String.self)
        #expect(try await staff.revokeToken(id: id).first?.contains("revoked") == true)
        #expect(try await staff.listTokens(email: "ops@macondo.example")[1].contains("revoked"))
        await db.drop()
    }

    @Test func staffOperations_badInput_isAClearError() async throws {
        let db = try await TestPostgres.database()
        let staff = StaffOperations(pool: db.pool)
        _ = try await staff.createUser(email: "ops@macondo.example", name: "Ops")
        for (attempt, expected) in [
            ({ try await staff.createUser(email: "Ops@macondo.example", name: "Again") }, "already exists"),
            ({ try await staff.createUser(email: "not-an-email", name: "X") }, "not an e-mail"),
            ({ try await staff.createUser(email: "b@macondo.example", name: "   ") }, "name must not be empty"),
            ({ try await staff.createToken(email: "nobody@macondo.example") }, "no user has e-mail"),
            ({ try await staff.revokeToken(id: "123") }, "not a token id"),
            ({ try await staff.revokeToken(id: EntityID.random().description) }, "no token has id"),
        ] as [(() async throws -> [String], String)] {
            do {
                _ = try await attempt()
                Issue.record("expected an error containing '\(expected)'")
            } catch let error as AppError {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        #expect(try await db.pool.query("SELECT count(*) FROM users")[0].decode(0, as: Int.self) == 1)
        await db.drop()
    }

    @Test func linkImport_createsValidRowsReportsBadOnesAndShowsProgress() async throws {
        let db = try await TestPostgres.database()
        let user = try await UserRepository(pool: db.pool).create(email: "ops@macondo.example", name: "Ops")
        let acme = try await ClientRepository(pool: db.pool).create(name: "Acme")
        let spring = try await CampaignRepository(pool: db.pool).create(clientID: acme.id, name: "Spring")
        _ = spring
        var csv = "originalUrl,shortCode,client,campaign,tags,redirectStatus,forwardQuery,expiresAt\n"
        csv += "https://example.com/a,imp-a,Acme,Spring,red|blue,301,true,2099-01-01T00:00:00Z\n"
        csv += "\"https://example.com/b?x=1,2\",,Acme,,,,,\n"
        csv += "javascript:alert(1),imp-c,Acme,,,,,\n"
        csv += "https://example.com/d,imp-d,Nobody Inc,,,,,\n"
        csv += "https://example.com/e,api,Acme,,,,,\n"
        csv += "https://example.com/f,imp-a,Acme,,,,,\n"
        for index in 0..<1500 { csv += "https://example.com/bulk/\(index),,Acme,,bulk,,,\n" }
        let path = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let progress = ProgressLog()
        let summary = try await LinkImportOperation(pool: db.pool, configuration: AdminConfiguration(publicBaseURL: "https://sho.rt"))
            .run(path: path, ownerEmail: nil) { done, total, created in progress.append("\(done)/\(total)/\(created)") }
        #expect(summary.rows == 1506)
        #expect(summary.created == 1502)
        #expect(summary.failures.count == 4)
        #expect(summary.failures[0].hasPrefix("line 4: originalUrl"))
        #expect(summary.failures[1].hasPrefix("line 5: client: no client is named 'Nobody Inc'"))
        #expect(summary.failures[2].hasPrefix("line 6: shortCode"))
        #expect(summary.failures[3].contains("line 7"), "duplicate code within the file")
        #expect(progress.lines == ["1000/1506/996", "1506/1506/1502"], "rows read, rows in all, links stored")
        let first = try await LinkRepository(pool: db.pool).find(shortCode: ShortCode("imp-a")!)
        #expect(first?.tags == ["blue", "red"])
        #expect(first?.redirectStatus == .movedPermanently)
        #expect(first?.forwardQuery == true)
        #expect(first?.campaignID == spring.id)
        #expect(first?.userID == user.id)
        #expect(
            try await db.pool.query("SELECT count(*) FROM links WHERE original_url = 'https://example.com/b?x=1,2'")[0].decode(0, as: Int.self) == 1)
        await db.drop()
    }

    @Test func linkImport_badFiles_areRefusedWithAMessage() async throws {
        let db = try await TestPostgres.database()
        _ = try await UserRepository(pool: db.pool).create(email: "ops@macondo.example", name: "Ops")
        let operation = LinkImportOperation(pool: db.pool, configuration: AdminConfiguration())
        let cases: [(String?, String)] = [
            (nil, "cannot read"),
            ("", "empty"),
            ("url,client\nhttps://a.example,Acme\n", "unknown column(s) url"),
            ("originalUrl,shortCode\nhttps://a.example,x\n", "needs originalUrl and client"),
            ("originalUrl,client\n\"https://a.example,Acme\n", "not closed"),
        ]
        for (content, expected) in cases {
            let path = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
            if let content { try content.write(toFile: path, atomically: true, encoding: .utf8) }
            do {
                _ = try await operation.run(path: path, ownerEmail: nil)
                Issue.record("expected '\(expected)'")
            } catch let error as AppError {
                #expect(error.message.contains(expected), "\(error.message)")
            }
        }
        #expect(try await db.pool.query("SELECT count(*) FROM links")[0].decode(0, as: Int.self) == 0)
        await db.drop()
    }

    @Test func csvReader_handlesQuotesNewlinesAndCRLF() throws {
        let records = try CSVReader.parse("\u{FEFF}a,b\r\n\"x,1\",\"say \"\"hi\"\"\"\r\n\r\n\"multi\nline\",z\n")
        #expect(records.map(\.fields) == [["a", "b"], ["x,1", "say \"hi\""], ["multi\nline", "z"]])
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test func binary_usersAndTokens_followTheScriptContract() async throws {
        let db = try await TestPostgres.database()
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        let created = try await run(binary, ["users", "create", "--email", "cli@macondo.example", "--name", "CLI"], url: db.url)
        #expect(created.status == 0, "\(created.stderr)")
        let token = try await run(binary, ["tokens", "create", "--email", "cli@macondo.example"], url: db.url)
        #expect(token.status == 0)
        let secret = try #require(token.stdout.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        #expect(secret.hasPrefix("slk_") && secret.count == 47)
        #expect(!token.stderr.contains(secret), "the token never reaches the log")
        #expect(!created.stderr.contains(db.url) && !token.stderr.contains(db.url), "the database URL is never logged")
        let digest = try await db.pool.query("SELECT token_hash FROM api_tokens")[0].decode(0, as: PGBytes.self)
        #expect(digest.bytes == APITokenSecret.digest(of: secret))
        let duplicate = try await run(binary, ["users", "create", "--email", "CLI@macondo.example", "--name", "Again"], url: db.url)
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("already exists"))
        let unknown = try await run(binary, ["tokens", "create", "--email", "nobody@macondo.example"], url: db.url)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no user has e-mail nobody@macondo.example"))
        let file = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
        try "originalUrl,clientId\nhttps://a.example/,not-a-uuid\n".write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try await run(binary, ["links", "import", file], url: db.url)
        #expect(imported.status == 1)
        #expect(imported.stdout.contains("line 2: clientId: must be a UUID"))
        #expect(imported.stdout.contains("0 of 1 rows imported, 1 refused"))
        #expect(imported.stderr.contains("read 1/1 rows: 0 imported, 1 refused"), "progress counts what was stored: \(imported.stderr)")
        #expect(!imported.stderr.contains("imported 1/1"))
        await db.drop()
    }

    @Test func linkImport_databaseFailures_sayWhatTheDatabaseSaid() async throws {
        let db = try await TestPostgres.database()
        _ = try await UserRepository(pool: db.pool).create(email: "ops@macondo.example", name: "Ops")
        _ = try await ClientRepository(pool: db.pool).create(name: "Acme")
        // A refusal no rule maps: a trigger that raises disk_full (SQLSTATE 53100) for one URL.
        try await db.pool.execute(
            """
            CREATE FUNCTION test_refuse_link() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.original_url LIKE '%/full%' THEN
                    RAISE EXCEPTION 'no room for this link' USING ERRCODE = 'disk_full';
                END IF;
                RETURN NEW;
            END $$
            """)
        try await db.pool.execute(
            "CREATE TRIGGER test_refuse_link BEFORE INSERT ON links FOR EACH ROW EXECUTE FUNCTION test_refuse_link()")
        let path = NSTemporaryDirectory() + "import-\(UUID().uuidString).csv"
        try "originalUrl,shortCode,client\nhttps://example.com/ok,ok-1,Acme\nhttps://example.com/full?secret=s3cr3t,full-1,Acme\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let operation = LinkImportOperation(pool: db.pool, configuration: AdminConfiguration())
        let summary = try await operation.run(path: path, ownerEmail: nil)
        #expect(summary.created == 1)
        #expect(summary.failures.count == 1)
        let failure = try #require(summary.failures.first)
        #expect(failure.hasPrefix("line 3: the link could not be stored: "), "\(failure)")
        #expect(failure.contains("SQLSTATE 53100"), "\(failure)")
        #expect(failure.contains("no room for this link"), "\(failure)")
        #expect(!failure.contains("s3cr3t") && !failure.contains(db.url), "no value, no connection URL")

        // A whole transaction refused at commit: the import stops and says why and where.
        try await db.pool.execute("DROP TRIGGER test_refuse_link ON links")
        try await db.pool.execute(
            """
            CREATE FUNCTION test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'commit refused for the test' USING ERRCODE = 'disk_full';
            END $$
            """)
        try await db.pool.execute(
            """
            CREATE CONSTRAINT TRIGGER test_refuse_commit AFTER INSERT ON links DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION test_refuse_commit()
            """)
        try "originalUrl,client\nhttps://example.com/a,Acme\nhttps://example.com/b,Acme\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try await operation.run(path: path, ownerEmail: nil)
            Issue.record("a refused commit was not reported")
        } catch let error as AppError {
            #expect(error.message.hasPrefix("lines 2–3 could not be stored: "), "\(error.message)")
            #expect(error.message.contains("SQLSTATE 53100") && error.message.contains("commit refused for the test"), "\(error.message)")
            #expect(error.message.contains("Before line 2: 0 links stored"), "\(error.message)")
            #expect(!error.message.contains(db.url))
        }
        #expect(try await db.pool.query("SELECT count(*) FROM links")[0].decode(0, as: Int.self) == 1)
        await db.drop()
    }

    @Test func binary_migrateStatus_exits2ForAnEditedOrMissingFile_and0ForPending() async throws {
        let db = try await TestPostgres.database()
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        // A copy of the migrations the test database was made with, to edit.
        let directory = NSTemporaryDirectory() + "migrations-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: TestPostgres.migrationsDirectory, toPath: directory)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func status() async throws -> ChildProcess.Result {
            try await ChildProcess.run(
                binary, ["migrate", "--status"],
                environment: ["DATABASE_URL": db.url, "SHORTLINKS_MIGRATIONS_DIRECTORY": directory],
                directory: binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        }
        let clean = try await status()
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("0 pending"))

        // Pending: listed, exit 0 (the normal state before `migrate`).
        try "SELECT 1;\n".write(toFile: directory + "/0999_later.sql", atomically: true, encoding: .utf8)
        let pending = try await status()
        #expect(pending.status == 0, "\(pending.stderr)")
        #expect(pending.stdout.contains("pending") && pending.stdout.contains("0999_later"))
        #expect(pending.stderr.contains("run `shortlinks migrate`"))

        // An applied file edited: exit 2, naming the file and what to do.
        let edited = directory + "/0003_link_redirect_options.sql"
        try (try String(contentsOfFile: edited, encoding: .utf8) + "\n-- an edit\n").write(toFile: edited, atomically: true, encoding: .utf8)
        let modified = try await status()
        #expect(modified.status == 2, "\(modified.stdout)\(modified.stderr)")
        #expect(modified.stdout.contains("MODIFIED") && modified.stdout.contains("0003_link_redirect_options"))
        #expect(modified.stderr.contains("0003_link_redirect_options.sql was edited after it was applied"), "\(modified.stderr)")
        #expect(modified.stderr.contains("new migration"))

        // An applied file missing: exit 2 too.
        try FileManager.default.removeItem(atPath: edited)
        try FileManager.default.removeItem(atPath: directory + "/0999_later.sql")
        let missing = try await status()
        #expect(missing.status == 2, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stderr.contains("0003_link_redirect_options is applied in the database but has no file"), "\(missing.stderr)")
        await db.drop()
    }

    private func run(_ binary: URL, _ arguments: [String], url: String) async throws -> ChildProcess.Result {
        try await ChildProcess.run(
            binary, arguments, environment: ["DATABASE_URL": url],
            directory: binary.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
    }
}

/// Progress lines reported by an import.
final class ProgressLog: Sendable {
    private let box = Mutex<[String]>([])
    func append(_ line: String) { box.withLock { $0.append(line) } }
    var lines: [String] { box.withLock { $0 } }
}
