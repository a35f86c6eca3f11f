import NIOCore
import ShortLinkCore

/// Everything one event loop's connections share: its view of the link cache, its click
/// capture buffer, the pre-encoded fixed responses and its open connections.
///
/// Touched only on its own event loop (the cache reaches it through `eventLoop.execute`),
/// so nothing on the request path is shared with another loop except the immutable tables,
/// which are read through raw pointers (no shared reference count is touched per request).
final class LoopContext {
    let eventLoop: any EventLoop
    let capture: ClickCapture
    let responses: StaticResponses
    let limits: RequestHeadLimits
    let trustedProxies: [CIDR]
    let idleTimeout: TimeAmount
    let headerTimeout: TimeAmount
    /// This loop's counters (written only here; scrapes read them by a task on this loop).
    let metrics = LoopMetrics()
    /// Every link, as of the last full load. This strong reference keeps the table (and its
    /// response slabs) alive while it is installed; lookups go through `fullTable`.
    private(set) var table: LinkTable
    /// The codes changed since `table` was built; they win over `table`.
    private(set) var changes: LinkTable
    /// `table` and `changes` without retain/release: every loop shares the tables, so a
    /// retain per lookup would be an atomic write to a cache line all loops contend for.
    /// Safe because the strong references above are replaced only by tasks on this loop,
    /// never while a lookup (which runs inside a handler callback) is in progress.
    private var fullTable: Unmanaged<LinkTable>
    private var changedTable: Unmanaged<LinkTable>
    /// Where this loop's responses are gathered during one read, then written as one buffer.
    ///
    /// Owned by this loop alone, so its reference count is never shared with another loop.
    /// Cleared at the start of every read: once the previous write has reached the socket
    /// the storage is unique again and is reused without allocating.
    var output: ByteBuffer
    private var connections: [ObjectIdentifier: RedirectHandler] = [:]
    /// Set once shutdown begins: new requests are still answered, then the connection closes.
    private(set) var isDraining = false

    init(eventLoop: any EventLoop, configuration: EdgeConfiguration, sink: any ClickSink) {
        self.eventLoop = eventLoop
        self.capture = ClickCapture(sink: sink, batchSize: configuration.captureBatchSize)
        self.responses = StaticResponses(robotsTxt: configuration.robotsTxt)
        self.limits = configuration.limits
        self.trustedProxies = configuration.trustedProxies
        self.idleTimeout = .nanoseconds(Int64(configuration.idleTimeoutSeconds * 1e9))
        self.headerTimeout = .nanoseconds(Int64(configuration.headerTimeoutSeconds * 1e9))
        let empty = LinkTable.empty()
        self.table = empty
        self.changes = empty
        self.fullTable = .passUnretained(empty)
        self.changedTable = .passUnretained(empty)
        self.output = ByteBufferAllocator().buffer(capacity: Self.outputCapacity)
    }

    /// The initial size of `output` (it grows for a large pipelined read).
    static let outputCapacity = 4_096

    /// Looks a code up by its bytes: the changed codes first, then the full table. No
    /// `String` is built and no reference count is touched.
    /// - Parameter code: the code's bytes, borrowed from the request.
    /// - Returns: the entry, borrowed from one of the tables (valid until this callback
    ///   returns, see ``LinkEntry``); `nil` when absent or removed.
    @inline(__always)
    func lookup(_ code: UnsafeRawBufferPointer) -> LinkEntry? {
        // .some(nil): the code was removed since the full load; .none: not changed.
        let changed: LinkEntry?? = changedTable._withUnsafeGuaranteedRef { changes in
            guard changes.count > 0, let position = changes.position(of: code) else { return .none }
            return .some(changes.entry(at: position))
        }
        if case .some(let entry) = changed { return entry }
        return fullTable._withUnsafeGuaranteedRef { $0.lookup(code) }
    }

    /// Installs a new full table; the changes older than it are dropped.
    func replace(table: LinkTable) {
        self.table = table
        fullTable = .passUnretained(table)
        replace(changes: .empty())
    }

    /// Installs the table of codes changed since the full table was built.
    func replace(changes: LinkTable) {
        self.changes = changes
        changedTable = .passUnretained(changes)
    }

    func register(_ handler: RedirectHandler) {
        connections[ObjectIdentifier(handler)] = handler
    }

    func unregister(_ handler: RedirectHandler) {
        connections[ObjectIdentifier(handler)] = nil
    }

    /// Closes every connection still open (the drain's deadline passed, or it was cancelled).
    func closeAll() {
        for handler in connections.values { handler.closeNow() }
    }

    /// Starts draining: idle connections close now, busy ones after their current response.
    func beginDraining() {
        isDraining = true
        for handler in connections.values { handler.drain() }
    }
}
