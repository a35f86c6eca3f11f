import Foundation
import Glibc

/// An exclusive `flock(2)` on a lock file, serializing cluster changes across processes
/// (and across threads of one process, since each acquisition opens the file anew).
enum FileLock {
    /// Runs `body` holding an exclusive lock on the file at `path` (created if missing).
    ///
    /// The descriptor is close-on-exec, so a server started while holding the lock
    /// does not inherit (and keep holding) it.
    ///
    /// - Parameters:
    ///   - path: The lock file.
    ///   - timeout: Seconds to wait for another holder before giving up.
    ///   - body: The work to do while holding the lock.
    static func withExclusiveLock<T>(at path: String, timeout: Double, _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(
                code: .dataDirectoryUnusable,
                message: "Could not open the lock file \(path): \(FileSystem.lastError()).")
        }
        defer { close(descriptor) }

        let deadline = Date().addingTimeInterval(timeout)
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                throw EmbeddedPostgresError(
                    code: .dataDirectoryUnusable,
                    message: "Could not lock \(path): \(FileSystem.lastError()).")
            }
            guard Date() < deadline else {
                throw EmbeddedPostgresError(
                    code: .commandFailed,
                    message: """
                        Timed out after \(Int(timeout)) s waiting for another process to finish starting, \
                        stopping or removing this cluster (it holds the lock \(path)).
                        """)
            }
            usleep(20_000)
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
