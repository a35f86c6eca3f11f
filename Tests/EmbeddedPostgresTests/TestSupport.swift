import EmbeddedPostgres
import Foundation
import Glibc
import Spawn

/// Helpers for the tests: talk to a cluster with the real `psql`, independently of the
/// module's own process code, as the `postgres` user when the tests run as root.
enum TestSupport {
    /// Whether the tests run as root (the server then runs as `postgres`).
    static var isRoot: Bool { geteuid() == 0 }

    /// The output of a command, its exit status and standard error.
    struct CommandResult {
        var status: Int32
        var output: String
        var errors: String
    }

    /// Runs `psql -X -At -h <socket dir> -p <port> -U postgres -d <database> -c <sql>`.
    static func psql(_ postgres: EmbeddedPostgres, _ sql: String, database: String? = nil) throws -> CommandResult {
        let binDirectory = try EmbeddedPostgres.locateBinaries()
        return try runAsServerUser(
            binDirectory + "/psql",
            [
                "-X", "-A", "-t",
                "-h", postgres.socketDirectory,
                "-p", String(postgres.configuration.port),
                "-U", "postgres",
                "-d", database ?? postgres.configuration.databaseName,
                "-c", sql,
            ])
    }

    /// Runs `psql <connectionURL> -c <sql>`.
    static func psql(url: String, _ sql: String) throws -> CommandResult {
        let binDirectory = try EmbeddedPostgres.locateBinaries()
        return try runAsServerUser(binDirectory + "/psql", ["-X", "-A", "-t", url, "-c", sql])
    }

    /// Runs a program as `postgres` through `runuser` when root, directly otherwise.
    static func runAsServerUser(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        if isRoot {
            return try run("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        return try run(executable, arguments)
    }

    /// Runs a program to completion and captures its output (small outputs only).
    static func run(_ executable: String, _ arguments: [String]) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for name in ["PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "DATABASE_URL"] {
            environment[name] = nil
        }
        let result = try SpawnedProcess.run(executable, arguments, environment: environment, directory: "/")
        return CommandResult(
            status: result.status,
            output: String(decoding: result.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            errors: String(decoding: result.standardError, as: UTF8.self))
    }

    /// A fresh directory made with `mkdtemp` under `/tmp` with the given mode.
    static func makeTemporaryDirectory(prefix: String, mode: mode_t) throws -> String {
        var template = Array("/tmp/\(prefix)XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer -> String? in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let path else { throw CocoaError(.fileWriteUnknown) }
        guard chmod(path, mode) == 0 else { throw CocoaError(.fileWriteNoPermission) }
        return path
    }

    /// Whether anything (even a dangling symlink) is at `path`.
    static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The directory holding `path`.
    static func parent(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// The owner's user id of `path`, following symlinks.
    static func ownerID(of path: String) -> uid_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_uid : nil
    }
}
