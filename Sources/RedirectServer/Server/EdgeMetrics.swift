import NIOCore
import Synchronization

/// Reads the edge's metrics for a scrape: the connection counters, plus each loop's
/// ``LoopMetrics`` read by a task submitted to that loop.
///
/// Why submit rather than read shared memory: the loops write plain integers (no atomic,
/// no lock on the request path); reading them from another thread would be a data race.
/// A scrape every few seconds costs one task per loop, which is nothing next to that.
public final class EdgeMetrics: Sendable {
    private struct State {
        var loops: [NIOLoopBound<LoopContext>] = []
        /// What the loops had counted when they stopped (after shutdown).
        var retired = EdgeMetricsSnapshot()
    }

    let connections = ConnectionCounters()
    private let state = Mutex(State())

    init() {}

    func attach(_ loops: [NIOLoopBound<LoopContext>]) {
        state.withLock { $0.loops = loops }
    }

    /// Called before the loops shut down: keeps their last values.
    func detach() async {
        let final = await snapshot()
        state.withLock {
            $0.retired = final
            $0.loops = []
        }
    }

    /// The summed values now.
    public func snapshot() async -> EdgeMetricsSnapshot {
        let (loops, retired) = state.withLock { ($0.loops, $0.retired) }
        var total = retired
        for loop in loops {
            if let values = try? await loop.eventLoop.submit({ loop.value.metrics.snapshot() }).get() {
                total.add(values)
            }
        }
        total.connections = connections.values
        return total
    }

    /// The summed values, completed on `eventLoop` (for NIO handlers).
    func snapshot(on eventLoop: any EventLoop) -> EventLoopFuture<EdgeMetricsSnapshot> {
        let (loops, retired) = state.withLock { ($0.loops, $0.retired) }
        let connections = self.connections
        let futures = loops.map { loop in loop.eventLoop.submit { loop.value.metrics.snapshot() } }
        return EventLoopFuture.whenAllSucceed(futures, on: eventLoop).map { parts in
            var total = retired
            for part in parts { total.add(part) }
            total.connections = connections.values
            return total
        }
    }

    /// The Prometheus text of every `shortlinks_edge_` series.
    public func prometheusText() async -> String {
        await snapshot().prometheusText
    }
}
