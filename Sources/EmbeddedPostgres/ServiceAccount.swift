import Glibc

/// The operating-system user PostgreSQL runs as when this process is root
/// (the server refuses to run as root).
struct ServiceAccount: Sendable, Equatable {
    /// The user name this module runs PostgreSQL as when started by root.
    static let postgresUserName = "postgres"

    /// The user name.
    let name: String
    /// The user id.
    let uid: uid_t
    /// The primary group id.
    let gid: gid_t
    /// Every group the user is in, the primary one included.
    let groupIDs: [gid_t]

    /// The account to run PostgreSQL as: `nil` for an ordinary user (everything runs
    /// directly), the `postgres` user when this process is root.
    ///
    /// - Throws: ``EmbeddedPostgresError/Code/osUserMissing`` when root and there is no `postgres` user.
    static func forCurrentProcess() throws -> ServiceAccount? {
        guard geteuid() == 0 else { return nil }
        guard let account = lookup(named: postgresUserName) else {
            throw EmbeddedPostgresError(
                code: .osUserMissing,
                message: """
                    Running as root, but there is no "\(postgresUserName)" operating-system user to run \
                    PostgreSQL as (the server refuses to run as root). Install the server package, which \
                    creates it, with: apt-get install -y postgresql-15 (or run as an ordinary user).
                    """)
        }
        return account
    }

    /// Looks up a user and its groups in the user database.
    static func lookup(named name: String) -> ServiceAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        let uid = entry.pw_uid
        let gid = entry.pw_gid

        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(name, gid, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count) * 2)
            count = Int32(groups.count)
        }
        return ServiceAccount(name: name, uid: uid, gid: gid, groupIDs: Array(groups.prefix(Int(count))))
    }

    /// Whether this user may search (traverse) `directory` and every directory above it,
    /// judged from ownership and mode bits. `directory` should have its symlinks resolved.
    func canTraverse(_ directory: String) -> Bool {
        var prefixes = ["/"]
        var current = ""
        for component in directory.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        return prefixes.allSatisfy(canSearch)
    }

    private func canSearch(_ directory: String) -> Bool {
        if uid == 0 { return true }
        var info = stat()
        guard stat(directory, &info) == 0 else { return false }
        if info.st_uid == uid { return info.st_mode & S_IXUSR != 0 }
        if groupIDs.contains(info.st_gid) { return info.st_mode & S_IXGRP != 0 }
        return info.st_mode & S_IXOTH != 0
    }
}
