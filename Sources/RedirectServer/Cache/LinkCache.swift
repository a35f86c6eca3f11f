import NIOCore
import ShortLinkCore
import Synchronization

/// The edge's link cache: one immutable shared ``LinkTable`` of every link plus a second,
/// small one of the codes changed since that table was built.
///
/// Writers (``LinkCacheSync``, one worker, so calls never overlap) never touch the loops'
/// state directly: they enqueue the new tables on every loop, so the request path reads
/// without a lock and each loop sees changes in the order they were made. Each change
/// rebuilds the changed-codes table from every change so far (its size is bounded: past
/// the sync's override limit a full load replaces both), so a lookup after a change finds
/// the code by its bytes, exactly as in the full table.
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
    /// Every code changed since the full table was built, with its current target (`nil`: gone).
    private let changed = Mutex([String: LinkTarget?]())

    init(contexts: [NIOLoopBound<LoopContext>]) {
        self.contexts = contexts
    }

    var statistics: Statistics { stats.withLock { $0 } }

    /// Installs a full table on every loop (dropping their overrides); returns once every
    /// loop uses it, so the previous table has been released.
    func install(_ table: LinkTable) async {
        changed.withLock { $0.removeAll() }
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
        let (table, count) = changed.withLock { changed in
            for change in changes { changed[change.code] = .some(change.target) }
            var builder = LinkTableBuilder(expectedCount: changed.count)
            for (code, target) in changed {
                if let target { builder.add(target) } else { builder.addRemoved(code: code) }
            }
            return (builder.build(), changed.count)
        }
        for context in contexts {
            context.eventLoop.execute { context.value.replace(changes: table) }
        }
        stats.withLock {
            $0.overriddenCodes = count
        }
    }
}
