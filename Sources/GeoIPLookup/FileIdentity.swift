#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which file a path names right now, and which version of it: device, inode, size and
/// modification time from `stat`. Replacing the file by rename (as installers and
/// `geoipupdate` do) changes the inode; rewriting it in place changes size or mtime.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64

    /// Reads the identity of the file at `path` (following symlinks).
    /// - Throws: ``GeoIPError`` `fileNotFound` when nothing is there, `invalidDatabase` for
    ///   something other than a regular file, `ioError` when `stat` fails otherwise.
    init(path: String) throws(GeoIPError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                throw GeoIPError(
                    code: .fileNotFound, path: path,
                    message: "GeoIP database not found at \(path) (set SHORTLINKS_GEOIP_DB or run scripts/install-geoip)")
            }
            throw GeoIPError(code: .ioError, path: path, message: "cannot stat GeoIP database \(path): \(String(cString: strerror(code)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw GeoIPError(code: .invalidDatabase, path: path, message: "GeoIP database \(path) is not a regular file")
        }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
            modifiedSeconds = Int64(info.st_mtimespec.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtimespec.tv_nsec)
        #else
            modifiedSeconds = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        #endif
    }
}
