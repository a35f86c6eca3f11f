import Glibc

extension ClusterLayout {
    /// Creates the directory that holds the requested data directory (and the lock file).
    /// Directories created as root get mode 0755 so the `postgres` user can traverse them.
    func prepareParentDirectory() throws {
        try FileSystem.createDirectories(FileSystem.parent(of: requestedPath), mode: 0o755)
    }

    /// Makes ``clusterPath`` an existing directory the server's user owns, creating the
    /// relocated directory and the symlink to it when relocated. Call it holding the lock.
    ///
    /// - Parameters:
    ///   - account: The user PostgreSQL runs as when this process is root, else `nil`.
    ///   - commands: Used, as root, to confirm with the system that the user can reach the directory.
    /// - Returns: The layout to use, which differs from `self` when, as root, the system
    ///   says the `postgres` user cannot reach a directory the mode bits suggested it could.
    func prepareClusterDirectory(account: ServiceAccount?, commands: PostgresCommands) throws -> ClusterLayout {
        if isRelocated {
            try prepareRelocatedDirectory(account: account)
            return self
        }
        if FileSystem.kind(of: requestedPath) == .other {
            throw unusable("\(requestedPath) exists and is not a directory; choose another data directory.")
        }
        if let account, !isInitialized {
            let parent = FileSystem.parent(of: clusterPath)
            let parentExists = FileSystem.isDirectory(parent)
            if parentExists && !commands.accountCanTraverse(parent)
                && FileSystem.kind(of: requestedPath) != .symbolicLink
                && (FileSystem.kind(of: clusterPath) == nil || FileSystem.isEmptyDirectory(clusterPath))
            {
                let relocated = ClusterLayout(
                    requestedPath: requestedPath,
                    clusterPath: FileSystem.resolvedPath(relocatedPath),
                    isRelocated: true)
                try relocated.prepareRelocatedDirectory(account: account)
                return relocated
            }
        }
        try FileSystem.createDirectories(FileSystem.parent(of: clusterPath), mode: 0o755)
        try FileSystem.createDirectories(clusterPath, mode: 0o700, owner: account)
        if !isInitialized && !FileSystem.isEmptyDirectory(clusterPath) {
            throw unusable(
                """
                \(clusterPath) is not empty but holds no PostgreSQL cluster (no PG_VERSION), so \
                initdb cannot use it. Choose another data directory, or empty this one.
                """)
        }
        guard let account else { return self }
        if !account.canTraverse(FileSystem.parent(of: clusterPath)) {
            throw unusable(
                """
                The postgres user cannot reach \(clusterPath): a directory above it is not \
                traversable by that user, and the data directory cannot be moved to \
                \(Self.relocationRoot) because it is not empty (or is reached through a symlink). \
                Use a data directory outside /root, or make the directories above it traversable \
                (chmod o+x).
                """)
        }
        if !isInitialized {
            try FileSystem.setOwner(clusterPath, account)
            try FileSystem.setMode(clusterPath, 0o700)
        }
        return self
    }

    /// Creates `/var/lib/shortlinks/<hash>/postgres` (owned by the server's user) and makes
    /// the requested path a symlink to it.
    private func prepareRelocatedDirectory(account: ServiceAccount?) throws {
        try FileSystem.createDirectories(FileSystem.parent(of: clusterPath), mode: 0o755)
        if FileSystem.kind(of: clusterPath) == nil {
            try FileSystem.createDirectories(clusterPath, mode: 0o700, owner: account)
        }
        if let account, !isInitialized {
            try FileSystem.setOwner(clusterPath, account)
            try FileSystem.setMode(clusterPath, 0o700)
        }
        switch FileSystem.kind(of: requestedPath) {
        case .symbolicLink:
            if FileSystem.realPath(requestedPath) == clusterPath { return }
            try FileSystem.remove(requestedPath)
        case .directory:
            guard FileSystem.isEmptyDirectory(requestedPath) else {
                throw unusable(
                    """
                    \(requestedPath) is not empty, and the postgres user cannot reach it (a directory \
                    above it is not traversable by that user). Use a data directory outside /root, or \
                    make the directories above it traversable (chmod o+x).
                    """)
            }
            try FileSystem.remove(requestedPath)
        case .other:
            throw unusable("\(requestedPath) exists and is not a directory; choose another data directory.")
        case nil:
            break
        }
        guard symlink(clusterPath, requestedPath) == 0 else {
            throw unusable("Could not create the symlink \(requestedPath) -> \(clusterPath): \(FileSystem.lastError())")
        }
    }

    private func unusable(_ message: String) -> EmbeddedPostgresError {
        EmbeddedPostgresError(code: .dataDirectoryUnusable, message: message)
    }
}
