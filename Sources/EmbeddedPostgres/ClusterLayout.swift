/// Where a cluster's files are, derived from the requested data directory.
///
/// For an ordinary user the cluster lives at the requested path itself. When root runs
/// the cluster for the `postgres` user and some directory above the requested path is
/// not traversable by that user (anything under `/root`, a 0700 directory…), the cluster
/// lives under ``relocationRoot`` instead and the requested path becomes a symlink to it.
struct ClusterLayout: Sendable, Equatable {
    /// Where relocated clusters live.
    static let relocationRoot = "/var/lib/shortlinks"

    /// The requested data directory: absolute, normalized, symlinks not resolved.
    let requestedPath: String
    /// The directory the cluster really lives in, symlinks resolved (as far as it exists).
    let clusterPath: String
    /// Whether ``clusterPath`` is the relocated directory ``relocatedPath``.
    let isRelocated: Bool

    /// The relocated cluster directory for ``requestedPath``:
    /// `/var/lib/shortlinks/<FNV-1a 64 of the path, 16 hex digits>/postgres`.
    var relocatedPath: String { Self.relocatedPath(for: requestedPath) }

    /// The lock file serializing start, stop and destroy: `<parent>/.<basename>.lock`.
    var lockFilePath: String {
        FileSystem.parent(of: requestedPath) + "/." + FileSystem.lastComponent(of: requestedPath) + ".lock"
    }

    /// `PG_VERSION`, present once `initdb` has succeeded.
    var versionFilePath: String { clusterPath + "/PG_VERSION" }
    /// The server log that `pg_ctl start -l` appends to.
    var logFilePath: String { clusterPath + "/postgres.log" }
    /// The postmaster's lock file.
    var pidFilePath: String { clusterPath + "/postmaster.pid" }
    /// The main configuration file written by `initdb`.
    var postgresqlConfPath: String { clusterPath + "/postgresql.conf" }
    /// The settings file this module writes and includes from `postgresql.conf`.
    var settingsFilePath: String { clusterPath + "/" + ClusterSettingsFile.fileName }
    /// The Unix-domain socket for `port`.
    func socketPath(port: Int) -> String { clusterPath + "/.s.PGSQL.\(port)" }

    /// Whether `initdb` has completed here.
    var isInitialized: Bool { FileSystem.exists(versionFilePath) }

    /// The relocated directory for an absolute requested path.
    static func relocatedPath(for requestedPath: String) -> String {
        "\(relocationRoot)/\(FNV1a64.hexDigest(requestedPath))/postgres"
    }

    /// Works out the layout for `requestedPath` without changing anything on disk.
    ///
    /// - Parameters:
    ///   - requestedPath: The absolute, normalized data directory path.
    ///   - account: The user PostgreSQL runs as when this process is root, else `nil`.
    static func resolve(requestedPath: String, account: ServiceAccount?) -> ClusterLayout {
        let relocated = relocatedPath(for: requestedPath)
        func layout(_ clusterPath: String, relocatedHere: Bool = false) -> ClusterLayout {
            ClusterLayout(
                requestedPath: requestedPath,
                clusterPath: clusterPath,
                isRelocated: relocatedHere || clusterPath == relocated
                    || clusterPath == FileSystem.resolvedPath(relocated))
        }

        switch FileSystem.kind(of: requestedPath) {
        case .symbolicLink:
            // Either our own relocation symlink or one the user made; follow it.
            let target =
                FileSystem.realPath(requestedPath)
                ?? FileSystem.symlinkTarget(requestedPath).map(FileSystem.resolvedPath)
                ?? requestedPath
            return layout(target)
        case .directory:
            let real = FileSystem.realPath(requestedPath) ?? requestedPath
            if let account, FileSystem.isEmptyDirectory(real),
                !account.canTraverse(FileSystem.parent(of: real))
            {
                return layout(FileSystem.resolvedPath(relocated), relocatedHere: true)
            }
            return layout(real)
        case .other:
            return layout(requestedPath)
        case nil:
            if let account {
                let anchor = FileSystem.resolvedPath(
                    FileSystem.nearestExistingAncestor(of: FileSystem.parent(of: requestedPath)))
                if !account.canTraverse(anchor) {
                    return layout(FileSystem.resolvedPath(relocated), relocatedHere: true)
                }
            }
            return layout(FileSystem.resolvedPath(requestedPath))
        }
    }
}
