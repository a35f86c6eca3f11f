import Synchronization

/// The edge's connection counts, shared by the accepting handler, the server (draining)
/// and scrapes. Atomics touched once per connection, never per request.
final class ConnectionCounters: Sendable {
    /// The values at one moment.
    struct Values: Sendable, Equatable {
        var open = 0
        var accepted = 0
        var refusedGlobalCap = 0
        var refusedPerClientCap = 0
        var refusedNoDescriptors = 0
    }

    let open = Atomic<Int>(0)
    /// Yields whenever `open` drops to zero (the newest one kept), so a drain waits on an
    /// event rather than polling.
    private let reachedZero: AsyncStream<Void>
    private let reachedZeroContinuation: AsyncStream<Void>.Continuation
    let accepted = Atomic<Int>(0)
    let refusedGlobalCap = Atomic<Int>(0)
    let refusedPerClientCap = Atomic<Int>(0)
    let refusedNoDescriptors = Atomic<Int>(0)

    init() {
        (reachedZero, reachedZeroContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Counts a connection as closed (or refused after it was counted).
    func release() {
        let (_, now) = open.subtract(1, ordering: .acquiringAndReleasing)
        if now == 0 { reachedZeroContinuation.yield() }
    }

    /// Returns once no connection is open, or when the task is cancelled.
    ///
    /// Only one task may wait at a time (the edge's drain).
    func waitUntilNoneOpen() async {
        var zeros = reachedZero.makeAsyncIterator()
        // A yield from before this call may be buffered: the count is checked after each.
        while open.load(ordering: .acquiring) > 0 {
            guard await zeros.next() != nil, !Task.isCancelled else { return }
        }
    }

    var values: Values {
        Values(
            open: open.load(ordering: .relaxed), accepted: accepted.load(ordering: .relaxed),
            refusedGlobalCap: refusedGlobalCap.load(ordering: .relaxed),
            refusedPerClientCap: refusedPerClientCap.load(ordering: .relaxed),
            refusedNoDescriptors: refusedNoDescriptors.load(ordering: .relaxed))
    }
}
