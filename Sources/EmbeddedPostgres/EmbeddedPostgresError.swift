/// An error raised while locating, initializing, starting, stopping or removing
/// an ``EmbeddedPostgres`` cluster.
///
/// The ``message`` is meant to be shown to a person as is: it says what went
/// wrong, what to do about it and, where there is one, ends with the last lines
/// of the relevant log file or command output.
public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure, stable enough to branch on.
    public enum Code: String, Sendable {
        /// No directory holding `initdb`, `pg_ctl` and `postgres` was found.
        case binariesNotFound
        /// Running as root, but the `postgres` operating-system user does not exist.
        case osUserMissing
        /// `initdb` failed to create the cluster.
        case initdbFailed
        /// `pg_ctl start` failed or the server did not become ready in time.
        case startFailed
        /// `pg_ctl stop` failed to stop the server.
        case stopFailed
        /// The configured database could not be checked for or created.
        case createDatabaseFailed
        /// The data directory (or a directory around it) cannot be used or removed.
        case dataDirectoryUnusable
        /// Some other command failed or could not be run.
        case commandFailed
        /// The ``EmbeddedPostgres/Configuration`` holds a value that cannot be used,
        /// such as an invalid database name or a socket path that is too long.
        case invalidConfiguration
    }

    /// The kind of failure.
    public var code: Code

    /// A human-readable, actionable explanation, including the tail of the
    /// relevant log or command output when there is one.
    public var message: String

    /// `"<code>: <message>"`.
    public var description: String {
        "\(code.rawValue): \(message)"
    }

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A human-readable, actionable explanation.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }
}
