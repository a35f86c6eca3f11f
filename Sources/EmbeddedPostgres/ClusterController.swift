import Foundation
import Glibc

/// Drives one cluster with the PostgreSQL tools: `initdb`, `pg_ctl`, `psql`, `createdb`.
/// Callers hold the cluster's lock around anything that changes it.
struct ClusterController: Sendable {
    /// Where the cluster lives.
    let layout: ClusterLayout
    /// The user's configuration.
    let configuration: EmbeddedPostgres.Configuration
    /// The tools, run as the right user.
    let commands: PostgresCommands

    /// The superuser `initdb` creates and every connection uses.
    static let superuser = "postgres"

    private var startTimeout: Int { configuration.startTimeoutSeconds }

    // MARK: - Status

    /// The server's state from `pg_ctl status` (exit 0 running, 3 stopped, 4 no cluster),
    /// checking that a reported pid really is this cluster's postmaster.
    func status() throws -> EmbeddedPostgres.Status {
        guard layout.isInitialized else { return .notInitialized }
        let result = try commands.run("pg_ctl", ["status", "-D", layout.clusterPath], timeout: 30)
        switch (result.exitCode, result.timedOut) {
        case (0, false):
            guard let pid = Self.parsePID(result.standardOutput) else {
                throw EmbeddedPostgresError(
                    code: .commandFailed,
                    message: "Could not read the server pid from `pg_ctl status`:\n\(result.outputTail)")
            }
            return isPostmaster(pid: pid) ? .running(pid: pid) : .stopped
        case (3, false):
            return .stopped
        case (4, false):
            return .notInitialized
        default:
            throw EmbeddedPostgresError(
                code: .commandFailed,
                message: "Could not get the server status: \(result.failureSummary)."
                    + LogTail.section("Output", result.outputTail))
        }
    }

    /// The pid in `pg_ctl status` output such as `pg_ctl: server is running (PID: 1234)`.
    static func parsePID(_ output: String) -> Int? {
        guard let marker = output.range(of: "PID: ") else { return nil }
        return Int(output[marker.upperBound...].prefix { $0.isNumber })
    }

    /// Whether `pid` is a PostgreSQL server for this data directory.
    ///
    /// `pg_ctl` only checks that the pid in `postmaster.pid` is alive; after a crash that pid
    /// may belong to an unrelated process of the same user. The postmaster keeps its command
    /// line (`postgres -D <dir>`), which `/proc` shows to everyone. When `/proc` cannot be
    /// read, `pg_ctl`'s word is taken.
    func isPostmaster(pid: Int) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else {
            return kill(pid_t(pid), 0) == 0 || errno == EPERM
        }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let program = arguments.first.map(FileSystem.lastComponent(of:)),
            program == "postgres" || program == "postmaster"
        else { return false }
        guard let flag = arguments.firstIndex(of: "-D"), flag + 1 < arguments.count else {
            return true
        }
        let directory = arguments[flag + 1]
        return directory == layout.clusterPath || FileSystem.realPath(directory) == layout.clusterPath
    }

    // MARK: - initdb

    /// Creates the cluster with `initdb` (UTF-8, superuser `postgres`, trust authentication),
    /// with the `C.UTF-8` locale, or `C` where that locale is missing.
    ///
    /// - Throws: ``EmbeddedPostgresError/Code/dataDirectoryUnusable`` when the directory holds
    ///   files but no cluster (nothing is touched then), or `initdbFailed`.
    func initialize() throws {
        guard FileSystem.isEmptyDirectory(layout.clusterPath) else {
            throw EmbeddedPostgresError(
                code: .dataDirectoryUnusable,
                message: """
                    \(layout.clusterPath) is not empty but holds no PostgreSQL cluster (no PG_VERSION), \
                    so initdb cannot use it. Choose another data directory, or empty this one.
                    """)
        }
        var locale = SubprocessEnvironment.utf8LocaleIsAvailable ? "C.UTF-8" : "C"
        var result = try runInitdb(locale: locale)
        if !result.succeeded && locale != "C" && result.outputTail.lowercased().contains("locale") {
            try clearDirectory()
            locale = "C"
            result = try runInitdb(locale: locale)
        }
        guard result.succeeded else {
            try? clearDirectory()
            throw EmbeddedPostgresError(
                code: .initdbFailed,
                message: "Could not create a PostgreSQL cluster in \(layout.clusterPath): \(result.failureSummary)."
                    + LogTail.section("initdb output (last lines)", result.outputTail))
        }
    }

    private func runInitdb(locale: String) throws -> ProcessResult {
        try commands.run(
            "initdb",
            [
                "-D", layout.clusterPath,
                "-U", Self.superuser,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=\(locale)",
            ], timeout: 300)
    }

    /// Removes whatever a failed `initdb` left in the cluster directory, keeping the directory.
    private func clearDirectory() throws {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: layout.clusterPath)) ?? []
        for entry in entries {
            try FileSystem.remove(layout.clusterPath + "/" + entry)
        }
    }

    // MARK: - Start and stop

    /// Writes `shortlinks.conf`, clears a stale `postmaster.pid`, and runs `pg_ctl start -w`.
    /// Retries for a few seconds while processes of a crashed server still hold its shared memory.
    func startServer() throws {
        try ClusterSettingsFile(
            settings: configuration.settings,
            port: configuration.port,
            socketDirectory: layout.clusterPath
        ).install(in: layout, owner: commands.account)
        try removeStaleLockFiles()

        let logOffset = LogTail.size(ofFileAt: layout.logFilePath)
        let attempts = 10
        for attempt in 1...attempts {
            let result = try commands.run(
                "pg_ctl",
                [
                    "start",
                    "-D", layout.clusterPath,
                    "-w",
                    "-t", String(startTimeout),
                    "-l", layout.logFilePath,
                ], timeout: Double(startTimeout) + 30, leavesDaemon: true)
            if result.succeeded { return }

            let log = LogTail.lines(ofFileAt: layout.logFilePath, from: logOffset)
            if attempt < attempts, log?.contains("pre-existing shared memory block") == true {
                // Backends of a killed postmaster are still exiting; give them a moment.
                usleep(500_000)
                continue
            }
            throw EmbeddedPostgresError(
                code: .startFailed,
                message: "PostgreSQL did not start on \(layout.clusterPath): \(result.failureSummary)."
                    + " Full log: \(layout.logFilePath)."
                    + LogTail.section("pg_ctl output", result.outputTail)
                    + LogTail.section("Server log (last lines)", log))
        }
    }

    /// Removes `postmaster.pid` and the socket lock files of a server that is not running
    /// (after a crash or a reboot), so their pids, possibly reused by other processes, cannot
    /// make the new server refuse to start. Only call it when ``status()`` says stopped.
    private func removeStaleLockFiles() throws {
        let socketLock = layout.socketPath(port: configuration.port) + ".lock"
        for path in [layout.pidFilePath, socketLock] where FileSystem.kind(of: path) != nil {
            try FileSystem.remove(path)
        }
    }

    /// Stops the server with `pg_ctl stop -m <mode> -w`.
    ///
    /// - Parameters:
    ///   - mode: `"fast"` (roll back and disconnect) or `"immediate"` (no shutdown checkpoint).
    func stopServer(mode: String) throws {
        let logOffset = LogTail.size(ofFileAt: layout.logFilePath)
        let result = try commands.run(
            "pg_ctl",
            [
                "stop",
                "-D", layout.clusterPath,
                "-m", mode,
                "-w",
                "-t", String(max(startTimeout, 60)),
            ], timeout: Double(max(startTimeout, 60)) + 30)
        if result.succeeded { return }
        if case .running = try status() {
            throw EmbeddedPostgresError(
                code: .stopFailed,
                message: "PostgreSQL on \(layout.clusterPath) did not stop: \(result.failureSummary)."
                    + LogTail.section("pg_ctl output", result.outputTail)
                    + LogTail.section(
                        "Server log (last lines)",
                        LogTail.lines(ofFileAt: layout.logFilePath, from: logOffset)))
        }
    }

    // MARK: - Database

    /// Creates ``EmbeddedPostgres/Configuration/databaseName`` with `createdb` unless
    /// `psql` finds it in `pg_database`. The name was validated as `[a-z_][a-z0-9_]*`.
    func ensureDatabase() throws {
        let name = configuration.databaseName
        if try databaseExists(name) { return }
        let result = try commands.run("createdb", connectionArguments + [name], timeout: 120)
        if result.succeeded { return }
        if (try? databaseExists(name)) == true { return }  // created concurrently
        throw EmbeddedPostgresError(
            code: .createDatabaseFailed,
            message: "Could not create the database \"\(name)\": \(result.failureSummary)."
                + LogTail.section("createdb output", result.outputTail))
    }

    private func databaseExists(_ name: String) throws -> Bool {
        let query = "select 1 from pg_database where datname = '\(name)'"
        let result = try commands.run(
            "psql", ["-X", "-A", "-t", "-d", "postgres"] + connectionArguments + ["-c", query], timeout: 60)
        guard result.succeeded else {
            throw EmbeddedPostgresError(
                code: .createDatabaseFailed,
                message: "Could not check whether the database \"\(name)\" exists: \(result.failureSummary)."
                    + LogTail.section("psql output", result.outputTail))
        }
        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// `-h <socket dir> -p <port> -U postgres`.
    private var connectionArguments: [String] {
        ["-h", layout.clusterPath, "-p", String(configuration.port), "-U", Self.superuser]
    }
}
