import Glibc
import LibPQ
import Synchronization

/// Lowers the CPU priority of click writes and rollup cycles so that they take only the CPU
/// the edge's event loops leave (issue 16: the writers must not steal the redirects' tail).
///
/// Linux keeps a nice value per thread: `setpriority(PRIO_PROCESS, 0, …)` changes the calling
/// thread, here one of the pool's threads, which then stays low (raising it back needs
/// privileges). The connection's server backend is lowered too when it is a process of this
/// machine (a Unix-socket session) that is a `postgres` process; lowering another user's
/// process needs root, and without it only the thread is lowered.
final class BackgroundPriority: Sendable {
    static let niceness: Int32 = 19
    let enabled: Bool
    private let lowered = Mutex(Set<Int>())

    init(enabled: Bool) { self.enabled = enabled }

    /// Lowers the calling thread and the connection's backend, once each per backend.
    func apply(to connection: PGConnection) {
        guard enabled else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        let backend = connection.backendPID
        guard backend > 0, connection.isUnixSocket, lowered.withLock({ $0.insert(backend).inserted }) else { return }
        guard Self.isPostgres(pid: backend) else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(backend), Self.niceness)
    }

    /// Whether `/proc/<pid>/comm` says `postgres` (never lower an unrelated process).
    private static func isPostgres(pid: Int) -> Bool {
        guard let file = fopen("/proc/\(pid)/comm", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        return String(cString: buffer).hasPrefix("postgres")
    }
}
