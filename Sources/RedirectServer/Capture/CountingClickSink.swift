public import ShortLinkCore
import Synchronization

/// A sink that only counts: what the edge benchmark runs with before the real pipeline.
public final class CountingClickSink: ClickSink {
    private let counts = Mutex<(batches: Int, clicks: Int)>((0, 0))

    /// Creates a sink at zero.
    public init() {}

    public func submit(_ batch: ClickBatch) {
        counts.withLock {
            $0.batches += 1
            $0.clicks += batch.count
        }
    }

    /// Clicks received so far.
    public var clicks: Int { counts.withLock { $0.clicks } }
    /// Batches received so far.
    public var batches: Int { counts.withLock { $0.batches } }
}
