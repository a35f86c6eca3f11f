public import ShortLinkCore
import Synchronization

/// A sink that keeps every batch, so tests can read back exactly what the edge captured.
public final class RecordingClickSink: ClickSink {
    private let batches = Mutex<[ClickBatch]>([])

    /// Creates an empty sink.
    public init() {}

    public func submit(_ batch: ClickBatch) {
        batches.withLock { $0.append(batch) }
    }

    /// Every event received so far, decoded, in arrival order.
    public func events() throws -> [ClickEvent] {
        try batches.withLock { $0 }.flatMap { try $0.events() }
    }

    /// Number of events received so far (without decoding).
    public var count: Int { batches.withLock { $0.reduce(0) { $0 + $1.count } } }
}
