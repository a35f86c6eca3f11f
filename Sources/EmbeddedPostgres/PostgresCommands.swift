import Foundation

/// Runs the PostgreSQL tools of one bin directory, as the `postgres` user (through
/// `runuser`) when this process is root, directly otherwise.
struct PostgresCommands: Sendable {
    /// The directory holding `initdb`, `pg_ctl`, `postgres`, `psql` and `createdb`.
    let binDirectory: String
    /// The user to run the tools as, or `nil` to run them as the current user.
    let account: ServiceAccount?
    /// The process runner.
    let runner: ProcessRunner

    /// Creates a command set for a bin directory.
    ///
    /// - Parameters:
    ///   - binDirectory: The directory holding the PostgreSQL programs.
    ///   - account: The user to run them as; `nil` (for an ordinary user) runs them directly.
    ///   - runner: The process runner; default a ``ProcessRunner`` with the module's environment.
    init(binDirectory: String, account: ServiceAccount?, runner: ProcessRunner = ProcessRunner()) {
        self.binDirectory = binDirectory
        self.account = account
        self.runner = runner
    }

    /// Runs the program `tool` of the bin directory with `arguments`.
    ///
    /// - Parameters:
    ///   - tool: A program name such as `"pg_ctl"`.
    ///   - arguments: Its arguments.
    ///   - timeout: Seconds before the command is killed.
    ///   - leavesDaemon: Whether the command leaves a server running; default `false`.
    func run(_ tool: String, _ arguments: [String], timeout: Double, leavesDaemon: Bool = false) throws -> ProcessResult {
        try runAsAccount(binDirectory + "/" + tool, arguments, timeout: timeout, leavesDaemon: leavesDaemon)
    }

    /// Runs any program as the service account (or directly for an ordinary user).
    func runAsAccount(_ executable: String, _ arguments: [String], timeout: Double, leavesDaemon: Bool = false) throws -> ProcessResult {
        guard let account else {
            return try runner.run(executable, arguments, timeout: timeout, leavesDaemon: leavesDaemon)
        }
        return try runner.run(
            try Self.runuserPath(), ["-u", account.name, "--", executable] + arguments,
            timeout: timeout, leavesDaemon: leavesDaemon)
    }

    /// Whether the service account can search `directory` (and so everything above it),
    /// asked of the system itself with `test -x`; always `true` without a service account.
    func accountCanTraverse(_ directory: String) -> Bool {
        guard account != nil else { return true }
        let result = try? runAsAccount("/usr/bin/test", ["-x", directory], timeout: 30)
        return result?.succeeded ?? false
    }

    /// The path of util-linux's `runuser`.
    static func runuserPath() throws -> String {
        let candidates = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"]
        if let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) {
            return found
        }
        throw EmbeddedPostgresError(
            code: .commandFailed,
            message: """
                Running as root, PostgreSQL must be run as the postgres user with `runuser`, which was \
                not found. Install it with: apt-get install -y util-linux (or run as an ordinary user).
                """)
    }
}
