import NIOCore
import ShortLinkCore
import Synchronization

/// The edge's link cache: one immutable shared ``LinkTable`` plus, on each event loop, the
/// changes that arrived since that table was built.
///
/// Writers (``LinkCacheSync``) never touch the loops' state directly: they enqueue the new
/// table or the changed entries on every loop, so the request path reads without a lock
/// and each loop sees changes in the order they were made.
final class LinkCache: Sendable {
    /// What the cache holds: the size for logs, the override count for compaction.
    struct Statistics: Sendable, Hashable {
        /// Links in the current full table.
        var tableCount = 0
        /// Codes changed since the table was built.
        var overriddenCodes = 0
    }

    private let contexts: [NIOLoopBound<LoopContext>]
    private let stats = Mutex(Statistics())

    init(contexts: [NIOLoopBound<LoopContext>]) {
        self.contexts = contexts
    }

    var statistics: Statistics { stats.withLock { $0 } }

    /// Installs a full table on every loop (dropping their overrides); returns once every
    /// loop uses it, so the previous table has been released.
    func install(_ table: LinkTable) async {
        for context in contexts {
            try? await context.eventLoop.submit { context.value.replace(table: table) }.get()
        }
        stats.withLock {
            $0.tableCount = table.count
            $0.overriddenCodes = 0
        }
    }

    /// Applies the current state of some codes (`nil` target: the code is gone).
    func apply(_ changes: [(code: String, target: LinkTarget?)]) {
        let entries = changes.map { (code: $0.code, entry: $0.target.map(LinkEntry.init(target:))) }
        for context in contexts {
            context.eventLoop.execute { context.value.apply(entries) }
        }
        stats.withLock {
            $0.overriddenCodes += changes.count
        }
    }
}
