#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Free space of the file system a directory lies on, for the journal-space readiness
/// check. A `statvfs` call: run it on a thread pool, never on an event loop.
enum SpoolSpace {
    /// Bytes an unprivileged writer may still use there (`f_bavail × f_frsize`); `nil` when
    /// the directory cannot be examined.
    /// - Parameter directory: the spool directory.
    static func freeBytes(at directory: String) -> UInt64? {
        var info = statvfs()
        guard statvfs(directory, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }
}
