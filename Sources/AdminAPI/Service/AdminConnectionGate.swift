import Synchronization

/// Counts the admin listener's open connections; touched once per connection.
final class AdminConnectionGate: Sendable {
    let limit: Int
    private let openCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)

    /// - Parameter limit: most connections open at once.
    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; `false` (and counted as refused) when all are taken.
    func tryOpen() -> Bool {
        let (_, now) = openCount.add(1, ordering: .relaxed)
        guard now <= limit else {
            openCount.subtract(1, ordering: .relaxed)
            refusedCount.add(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Frees a slot taken by ``tryOpen()``.
    func close() {
        openCount.subtract(1, ordering: .relaxed)
    }

    /// Connections open now.
    var open: Int { openCount.load(ordering: .relaxed) }
    /// Connections refused so far.
    var refused: Int { refusedCount.load(ordering: .relaxed) }
}
