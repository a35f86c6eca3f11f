import Foundation

/// A private PostgreSQL cluster run from the installed server binaries: `initdb` on first
/// start, `pg_ctl` to start and stop it, a Unix socket inside the data directory and no TCP.
///
/// Every operation is synchronous and safe to call from several processes at once: start,
/// stop and destroy serialize on an `flock` of `<parent>/.<basename>.lock` next to the data
/// directory. When the process is root, the server runs as the `postgres` user (see
/// ``Configuration/dataDirectory`` for where the files then go).
///
/// ```swift
/// let postgres = EmbeddedPostgres(configuration: .init(dataDirectory: ".data/postgres"))
/// try postgres.start()
/// print(postgres.connectionURL)  // postgresql:///shortlinks?host=/abs/.data/postgres&port=5432&user=postgres
/// ```
public struct EmbeddedPostgres: Sendable {
    /// The configuration this instance was created with.
    public let configuration: Configuration

    /// ``Configuration/dataDirectory`` made absolute when this instance was created.
    let requestedPath: String

    /// Creates a handle on a cluster; nothing on disk changes until ``start()``.
    ///
    /// - Parameters:
    ///   - configuration: Where the cluster lives and how it runs. A relative
    ///     ``Configuration/dataDirectory`` is resolved against the current directory now.
    public init(configuration: Configuration) {
        self.configuration = configuration
        self.requestedPath = FileSystem.absolutePath(configuration.dataDirectory)
    }

    // MARK: - Connection

    /// The directory holding the server's Unix socket: the data directory's absolute path
    /// with symlinks resolved (so, as root, the relocated directory when there is one).
    public var socketDirectory: String {
        layout(account: try? ServiceAccount.forCurrentProcess()).clusterPath
    }

    /// A libpq connection URL for ``Configuration/databaseName`` as the `postgres`
    /// superuser over the Unix socket, e.g.
    /// `postgresql:///shortlinks?host=/abs/socket/dir&port=5432&user=postgres`.
    public var connectionURL: String {
        let host = Self.percentEncoded(socketDirectory)
        return "postgresql:///\(configuration.databaseName)?host=\(host)&port=\(configuration.port)"
            + "&user=\(ClusterController.superuser)"
    }

    // MARK: - Lifecycle

    /// Makes sure the server is running: runs `initdb` when the data directory holds no
    /// cluster, starts the server when it is stopped (also after a crash left a stale
    /// `postmaster.pid`), and creates ``Configuration/databaseName`` when missing.
    /// Calling it again is harmless.
    ///
    /// - Returns: What had to be done.
    /// - Throws: ``EmbeddedPostgresError`` with code `binariesNotFound`, `osUserMissing`,
    ///   `invalidConfiguration`, `dataDirectoryUnusable`, `initdbFailed`, `startFailed`,
    ///   `createDatabaseFailed` or `commandFailed`.
    @discardableResult
    public func start() throws -> StartOutcome {
        try configuration.validate()
        let binDirectory = try Self.locateBinaries(override: configuration.binDirectory)
        let account = try ServiceAccount.forCurrentProcess()
        let commands = PostgresCommands(binDirectory: binDirectory, account: account)

        try layout(account: account).prepareParentDirectory()
        return try withLock {
            let layout = try layout(account: account).prepareClusterDirectory(account: account, commands: commands)
            try checkSocketPathLength(layout)
            let cluster = ClusterController(layout: layout, configuration: configuration, commands: commands)

            var outcome = StartOutcome.started
            if !layout.isInitialized {
                try cluster.initialize()
                outcome = .initializedAndStarted
            }
            if case .running = try cluster.status() {
                outcome = .alreadyRunning
            } else {
                try cluster.startServer()
            }
            try cluster.ensureDatabase()
            return outcome
        }
    }

    /// Stops the server with a fast shutdown (open transactions are rolled back, clients
    /// disconnected). Does nothing when the server is not running or there is no cluster.
    ///
    /// - Throws: ``EmbeddedPostgresError`` with code `stopFailed`, `binariesNotFound`,
    ///   `osUserMissing` or `commandFailed`.
    public func stop() throws {
        let account = try ServiceAccount.forCurrentProcess()
        guard layout(account: account).isInitialized else { return }
        let binDirectory = try Self.locateBinaries(override: configuration.binDirectory)
        try withLock {
            let cluster = try controller(account: account, binDirectory: binDirectory)
            if case .running = try cluster.status() {
                try cluster.stopServer(mode: "fast")
            }
        }
    }

    /// The state of the cluster, from `pg_ctl status`.
    ///
    /// - Returns: ``Status/notInitialized`` when there is no cluster (no binaries are
    ///   needed to say so), else ``Status/stopped`` or ``Status/running(pid:)``.
    /// - Throws: ``EmbeddedPostgresError`` with code `binariesNotFound`, `osUserMissing`
    ///   or `commandFailed`.
    public func status() throws -> Status {
        let account = try ServiceAccount.forCurrentProcess()
        guard layout(account: account).isInitialized else { return .notInitialized }
        return try controller(account: account).status()
    }

    /// Stops the server at once (immediate shutdown) and deletes the cluster: the data
    /// directory, and when relocated, the directory under `/var/lib/shortlinks` and the
    /// symlink to it; for a ``Configuration/throwaway(databaseName:port:settings:binDirectory:startTimeoutSeconds:)``
    /// configuration, the whole temporary directory. Does nothing when there is nothing to remove.
    ///
    /// To protect against a mistyped path, a directory that is neither empty nor holds a
    /// PostgreSQL cluster is not deleted.
    ///
    /// - Throws: ``EmbeddedPostgresError`` with code `stopFailed`, `dataDirectoryUnusable`,
    ///   `binariesNotFound`, `osUserMissing` or `commandFailed`.
    public func destroy() throws {
        let account = try ServiceAccount.forCurrentProcess()
        if FileSystem.isDirectory(FileSystem.parent(of: requestedPath)) {
            try withLock {
                try destroyCluster(account: account)
            }
            try FileSystem.remove(layout(account: account).lockFilePath)
        }
        if let scratch = configuration.scratchDirectory {
            try FileSystem.remove(scratch)
        }
    }

    // MARK: - Helpers

    /// The layout for the current state of the disk.
    func layout(account: ServiceAccount?) -> ClusterLayout {
        ClusterLayout.resolve(requestedPath: requestedPath, account: account)
    }

    /// A controller for the current layout, locating the binaries unless given.
    private func controller(account: ServiceAccount?, binDirectory: String? = nil) throws -> ClusterController {
        let binDirectory = try binDirectory ?? Self.locateBinaries(override: configuration.binDirectory)
        return ClusterController(
            layout: layout(account: account),
            configuration: configuration,
            commands: PostgresCommands(binDirectory: binDirectory, account: account))
    }

    /// Runs `body` holding the cluster's lock; waits at most a few start timeouts.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let lockPath = layout(account: nil).lockFilePath
        let timeout = Double(max(configuration.startTimeoutSeconds, 60)) * 3 + 300
        return try FileLock.withExclusiveLock(at: lockPath, timeout: timeout, body)
    }

    private func destroyCluster(account: ServiceAccount?) throws {
        let layout = layout(account: account)
        if layout.isInitialized {
            let hasPidFile = FileSystem.kind(of: layout.pidFilePath) != nil
            do {
                let cluster = try controller(account: account)
                if case .running = try cluster.status() {
                    try cluster.stopServer(mode: "immediate")
                }
            } catch let error as EmbeddedPostgresError where error.code == .binariesNotFound && !hasPidFile {
                // No binaries, but no server either: the files can go.
            }
        }

        let clusterKind = FileSystem.kind(of: layout.clusterPath)
        let deletable =
            clusterKind == nil
            || layout.isRelocated
            || layout.isInitialized
            || FileSystem.isEmptyDirectory(layout.clusterPath)
            || configuration.scratchDirectory.map { layout.clusterPath.hasPrefix($0 + "/") } == true
        guard deletable else {
            throw EmbeddedPostgresError(
                code: .dataDirectoryUnusable,
                message: """
                    Refusing to delete \(layout.clusterPath): it is not empty and holds no PostgreSQL \
                    cluster (no PG_VERSION). Remove it by hand if that is really intended.
                    """)
        }
        try FileSystem.remove(layout.clusterPath)
        if FileSystem.kind(of: requestedPath) == .symbolicLink {
            try FileSystem.remove(requestedPath)
        }
        if layout.isRelocated {
            let hashDirectory = FileSystem.parent(of: layout.clusterPath)
            if FileSystem.isEmptyDirectory(hashDirectory) {
                try FileSystem.remove(hashDirectory)
            }
        }
    }

    /// Fails early when the socket path would not fit a `sockaddr_un` (107 bytes), which
    /// the server would otherwise reject with a less helpful message.
    private func checkSocketPathLength(_ layout: ClusterLayout) throws {
        let socket = layout.socketPath(port: configuration.port)
        let limit = 107
        guard socket.utf8.count > limit else { return }
        throw EmbeddedPostgresError(
            code: .invalidConfiguration,
            message: """
                The server socket path \(socket) is \(socket.utf8.count) bytes long, more than the \
                \(limit) bytes a Unix-domain socket path may have. Use a data directory with a shorter \
                absolute path.
                """)
    }

    /// `text` with everything but unreserved characters and `/` percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        return text.utf8.map { byte in
            allowed.contains(byte) ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
        }.joined()
    }
}
