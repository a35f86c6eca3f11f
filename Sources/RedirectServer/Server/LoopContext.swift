import NIOCore
import ShortLinkCore

/// Everything one event loop's connections share: its view of the link cache, its click
/// capture buffer, the pre-encoded fixed responses and its open connections.
///
/// Touched only on its own event loop (the cache reaches it through `eventLoop.execute`),
/// so nothing on the request path is shared with another loop except the immutable table.
final class LoopContext {
    /// A cached change that overrides the shared table until the next full resync.
    enum Override {
        case present(LinkEntry)
        case removed
    }

    let eventLoop: any EventLoop
    let capture: ClickCapture
    let responses: StaticResponses
    let limits: RequestHeadLimits
    let trustedProxies: [CIDR]
    let idleTimeout: TimeAmount
    let headerTimeout: TimeAmount
    /// This loop's counters (written only here; scrapes read them by a task on this loop).
    let metrics = LoopMetrics()
    private(set) var table: LinkTable
    private(set) var overrides: [String: Override] = [:]
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
        self.table = .empty()
    }

    /// Looks a code up: this loop's overrides first, then the shared table.
    @inline(__always)
    func lookup(_ code: UnsafeRawBufferPointer) -> LinkEntry? {
        if !overrides.isEmpty, let override = overrides[String(decoding: code, as: UTF8.self)] {
            switch override {
            case .present(let entry): return entry
            case .removed: return nil
            }
        }
        return table.lookup(code)
    }

    /// Installs a new full table; overrides older than it are dropped.
    func replace(table: LinkTable) {
        self.table = table
        overrides.removeAll()
    }

    /// Applies changed links (`nil` entry: the code no longer exists).
    func apply(_ changes: [(code: String, entry: LinkEntry?)]) {
        for change in changes {
            overrides[change.code] = change.entry.map(Override.present) ?? .removed
        }
    }

    func register(_ handler: RedirectHandler) {
        connections[ObjectIdentifier(handler)] = handler
    }

    func unregister(_ handler: RedirectHandler) {
        connections[ObjectIdentifier(handler)] = nil
    }

    /// Starts draining: idle connections close now, busy ones after their current response.
    func beginDraining() {
        isDraining = true
        for handler in connections.values { handler.drain() }
    }
}
