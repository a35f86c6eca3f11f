import EmbeddedPostgres
import Foundation
import Glibc
import Testing

@Suite struct EmbeddedPostgresTests {
    @Test func start_whenDataDirEmpty_initializesAndRuns() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }

        #expect(try postgres.status() == .notInitialized)
        #expect(try postgres.start() == .initializedAndStarted)

        guard case .running(let pid) = try postgres.status() else {
            Issue.record("expected the server to be running")
            return
        }
        #expect(pid > 0)
        #expect(TestSupport.entryExists(postgres.socketDirectory + "/.s.PGSQL.5432"))
        let answer = try TestSupport.psql(postgres, "select 1")
        #expect(answer.status == 0, "\(answer.errors)")
        #expect(answer.output == "1")
        let database = try TestSupport.psql(postgres, "select current_database()")
        #expect(database.output == "shortlinks")
    }

    @Test func start_whenRestartedAfterStop_reusesClusterAndKeepsData() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }

        #expect(try postgres.start() == .initializedAndStarted)
        #expect(try postgres.start() == .alreadyRunning)
        let created = try TestSupport.psql(postgres, "create table kept (value int); insert into kept values (42)")
        #expect(created.status == 0, "\(created.errors)")

        try postgres.stop()
        #expect(try postgres.status() == .stopped)
        #expect(!TestSupport.entryExists(postgres.socketDirectory + "/.s.PGSQL.5432"))
        try postgres.stop()  // no-op when stopped
        #expect(try postgres.status() == .stopped)

        #expect(try postgres.start() == .started)
        #expect(try TestSupport.psql(postgres, "select value from kept").output == "42")
    }

    @Test func destroy_whenRunning_removesDirectoryAndReportsNotInitialized() throws {
        let configuration = try EmbeddedPostgres.Configuration.throwaway()
        let postgres = EmbeddedPostgres(configuration: configuration)
        defer { try? postgres.destroy() }
        try postgres.start()
        let scratch = TestSupport.parent(of: configuration.dataDirectory)

        try postgres.destroy()

        #expect(!TestSupport.entryExists(configuration.dataDirectory))
        #expect(!TestSupport.entryExists(scratch))
        #expect(try postgres.status() == .notInitialized)
        try postgres.destroy()  // nothing left to remove
    }

    @Test func locateBinaries_whenOverrideMissing_throwsBinariesNotFound() {
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try EmbeddedPostgres.locateBinaries(override: "/nonexistent")
        }
        #expect(error?.code == .binariesNotFound)
        #expect(error?.message.contains("postgresql-15") == true)
        #expect(error?.message.contains("/nonexistent") == true)
    }

    @Test func locateBinaries_withoutOverride_findsServerPrograms() throws {
        let directory = try EmbeddedPostgres.locateBinaries()
        for program in ["initdb", "pg_ctl", "postgres"] {
            #expect(FileManager.default.isExecutableFile(atPath: directory + "/" + program))
        }
    }

    @Test func start_whenBinDirectoryBogus_throwsBinariesNotFoundAndCreatesNothing() throws {
        var configuration = try EmbeddedPostgres.Configuration.throwaway()
        configuration.binDirectory = "/nonexistent/bin"
        let postgres = EmbeddedPostgres(configuration: configuration)
        defer { try? postgres.destroy() }

        let error = #expect(throws: EmbeddedPostgresError.self) { try postgres.start() }
        #expect(error?.code == .binariesNotFound)
        #expect(error?.message.contains("postgresql-15") == true)
        #expect(!TestSupport.entryExists(configuration.dataDirectory))
    }

    @Test func start_whenDatabaseNameInvalid_throwsInvalidConfiguration() throws {
        let configuration = EmbeddedPostgres.Configuration(
            dataDirectory: "/tmp/shortlinks-pg-never-created/postgres", databaseName: "links; drop")
        let error = #expect(throws: EmbeddedPostgresError.self) {
            try EmbeddedPostgres(configuration: configuration).start()
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(!TestSupport.entryExists("/tmp/shortlinks-pg-never-created"))
    }

    @Test func start_whenDataDirHoldsOtherFiles_refusesAndLeavesThem() throws {
        let configuration = try EmbeddedPostgres.Configuration.throwaway()
        let postgres = EmbeddedPostgres(configuration: configuration)
        defer { try? postgres.destroy() }
        let keep = configuration.dataDirectory + "/notes.txt"
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
        try "mine".write(toFile: keep, atomically: true, encoding: .utf8)

        let error = #expect(throws: EmbeddedPostgresError.self) { try postgres.start() }
        #expect(error?.code == .dataDirectoryUnusable)
        #expect(error?.message.contains("not empty") == true)
        #expect(try String(contentsOfFile: keep, encoding: .utf8) == "mine")
        #expect(TestSupport.ownerID(of: configuration.dataDirectory) == geteuid())
        #expect(try postgres.status() == .notInitialized)
    }

    @Test func start_whenSettingInvalid_throwsStartFailedQuotingServerLog() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway(settings: ["shared_buffers": "plenty"]))
        defer { try? postgres.destroy() }

        let error = #expect(throws: EmbeddedPostgresError.self) { try postgres.start() }
        #expect(error?.code == .startFailed)
        #expect(error?.message.contains("invalid value for parameter \"shared_buffers\"") == true, "\(String(describing: error))")
        #expect(error?.message.contains("postgres.log") == true)
        #expect(try postgres.status() == .stopped)
    }

    @Test func start_whenParentNotTraversableByServerUser_relocatesBehindSymlink() throws {
        let parent = try TestSupport.makeTemporaryDirectory(prefix: "shortlinks-private-", mode: 0o700)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let dataDirectory = parent + "/x/postgres"
        let postgres = EmbeddedPostgres(
            configuration: .init(
                dataDirectory: dataDirectory, settings: EmbeddedPostgres.Configuration.throwawaySettings))
        defer { try? postgres.destroy() }
        let predictedSocketDirectory = postgres.socketDirectory

        #expect(try postgres.start() == .initializedAndStarted)
        #expect(postgres.socketDirectory == predictedSocketDirectory)
        #expect(try TestSupport.psql(postgres, "select 1").output == "1")

        let clusterDirectory = postgres.socketDirectory
        if TestSupport.isRoot {
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: dataDirectory)
            #expect(target == clusterDirectory)
            let pattern = /\/var\/lib\/shortlinks\/[0-9a-f]{16}\/postgres/
            #expect(target.wholeMatch(of: pattern) != nil, "\(target)")
            #expect(TestSupport.ownerID(of: target) == getpwnam("postgres")?.pointee.pw_uid)
        } else {
            #expect(clusterDirectory == dataDirectory)
        }

        try postgres.destroy()
        #expect(!TestSupport.entryExists(dataDirectory))
        #expect(!TestSupport.entryExists(clusterDirectory))
        if TestSupport.isRoot {
            #expect(!TestSupport.entryExists(TestSupport.parent(of: clusterDirectory)))
        }
        #expect(try postgres.status() == .notInitialized)
    }

    @Test func connectionURL_containsSocketDirectoryAndDatabase() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway(databaseName: "links_test", port: 5433))
        defer { try? postgres.destroy() }

        let url = postgres.connectionURL
        #expect(url.hasPrefix("postgresql:///links_test?"))
        #expect(url.contains("host=\(postgres.socketDirectory)"))
        #expect(url.contains("port=5433"))
        #expect(url.contains("user=postgres"))

        try postgres.start()
        let answer = try TestSupport.psql(url: url, "select current_database()")
        #expect(answer.status == 0, "\(answer.errors)")
        #expect(answer.output == "links_test")
    }

    @Test func start_afterServerKilled_recoversFromStalePidFile() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }
        try postgres.start()
        guard case .running(let pid) = try postgres.status() else {
            Issue.record("expected the server to be running")
            return
        }

        #expect(kill(pid_t(pid), SIGKILL) == 0)
        var waited = 0
        // Until the zombie is reaped, for at most 2 s: the postmaster is not this process's
        // child (pg_ctl detaches it), so there is no exit event to wait on here.
        while kill(pid_t(pid), 0) == 0 && waited < 200 {
            usleep(10_000)
            waited += 1
        }
        #expect(TestSupport.entryExists(postgres.socketDirectory + "/postmaster.pid"))
        #expect(try postgres.status() == .stopped)

        #expect(try postgres.start() == .started)
        #expect(try TestSupport.psql(postgres, "select 1").output == "1")
    }

    @Test func start_whenPidFileNamesAnotherLiveServer_startsAnyway() throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        let other = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }
        defer { try? other.destroy() }
        try postgres.start()
        try other.start()
        try postgres.stop()

        // As after a crash and a pid reuse: the pid file names a live process of the same
        // user (another server), so `pg_ctl status` alone would call this cluster running.
        let pidFile = postgres.socketDirectory + "/postmaster.pid"
        try FileManager.default.copyItem(atPath: other.socketDirectory + "/postmaster.pid", toPath: pidFile)
        if TestSupport.isRoot, let account = getpwnam("postgres")?.pointee {
            #expect(chown(pidFile, account.pw_uid, account.pw_gid) == 0)
        }

        #expect(try postgres.status() == .stopped)
        #expect(try postgres.start() == .started)
        #expect(try TestSupport.psql(postgres, "select 1").output == "1")
        guard case .running = try other.status() else {
            Issue.record("the other server should be untouched")
            return
        }
    }

    @Test func start_whenCalledConcurrently_initializesOnce() async throws {
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }

        async let first = Task.detached { try postgres.start() }.value
        async let second = Task.detached { try postgres.start() }.value
        let outcomes = try await [first, second]

        #expect(outcomes.filter { $0 == .initializedAndStarted }.count == 1)
        #expect(outcomes.filter { $0 == .alreadyRunning }.count == 1)
        #expect(try TestSupport.psql(postgres, "select 1").output == "1")
    }
}

@Suite struct EmbeddedPostgresDescriptorTests {
    /// A server left running must not hold a caller's pipe open: the reader would never see EOF.
    @Test func start_serverDoesNotInheritTheCallersDescriptors() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)  // no O_CLOEXEC: like a pipe inherited from a shell
        defer { close(ends[0]) }
        let postgres = EmbeddedPostgres(configuration: try .throwaway())
        defer { try? postgres.destroy() }
        try postgres.start()
        close(ends[1])
        var descriptor = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 2_000) == 1)  // EOF arrives only if nobody else holds the write end
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0)
    }
}
