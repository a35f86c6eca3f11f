/// One event loop's edge counters and latency histogram: plain integers, written only on
/// that loop (a couple of increments per request, no lock, no atomic) and read by a
/// scrape that submits a task to the same loop (``EdgeMetrics``), so reads never race writes.
final class LoopMetrics {
    /// Upper bounds of the latency buckets in microseconds (then +Inf).
    static let latencyBoundsMicroseconds: [Int64] = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 10_000, 100_000]

    private let counters: UnsafeMutablePointer<Int>
    private let buckets: UnsafeMutablePointer<Int>
    private var latencySumMicroseconds: Int64 = 0

    init() {
        counters = .allocate(capacity: EdgeCounter.allCases.count)
        counters.initialize(repeating: 0, count: EdgeCounter.allCases.count)
        buckets = .allocate(capacity: Self.latencyBoundsMicroseconds.count + 1)
        buckets.initialize(repeating: 0, count: Self.latencyBoundsMicroseconds.count + 1)
    }

    deinit {
        counters.deallocate()
        buckets.deallocate()
    }

    @inline(__always)
    func count(_ counter: EdgeCounter) {
        counters[counter.rawValue] &+= 1
    }

    /// Records `requests` answered in one read cycle that took `microseconds` (once per cycle).
    func observe(requests: Int, microseconds: Int64) {
        let elapsed = max(0, microseconds)
        var index = 0
        let bounds = Self.latencyBoundsMicroseconds
        while index < bounds.count, elapsed > bounds[index] { index += 1 }
        buckets[index] &+= requests
        latencySumMicroseconds &+= elapsed &* Int64(requests)
    }

    /// A copy of the values (call on the owning loop).
    func snapshot() -> EdgeMetricsSnapshot {
        var snapshot = EdgeMetricsSnapshot()
        for counter in EdgeCounter.allCases { snapshot.counters[counter.rawValue] = counters[counter.rawValue] }
        for index in 0...Self.latencyBoundsMicroseconds.count { snapshot.latencyBuckets[index] = buckets[index] }
        snapshot.latencySumMicroseconds = latencySumMicroseconds
        return snapshot
    }
}
