public import ShortLinkCore

/// Releases the journal positions of stored groups in the order the groups were taken
/// from the queue. Concurrent writers finish out of order; a segment's acknowledged
/// offset must never pass records of a group that is not stored yet, or a crash would
/// skip them at replay. A pure value: the pipeline keeps it under its lock.
public struct AcknowledgementOrder: Sendable {
    private var next: UInt64 = 0
    private var waiting: [UInt64: [ClickBatch.JournalPosition]] = [:]

    public init() {}

    /// Groups stored but held back behind an earlier one.
    public var heldBack: Int { waiting.count }

    /// Records that group `number` is stored.
    /// - Parameters:
    ///   - number: the group's number, counted from 0 in the order groups were taken.
    ///   - positions: the journal positions of its batches.
    /// - Returns: the positions that may be acknowledged now, in group order: this group's
    ///   and those of later groups that were waiting for it, or none while an earlier
    ///   group is still being written.
    public mutating func stored(_ number: UInt64, positions: [ClickBatch.JournalPosition]) -> [ClickBatch.JournalPosition] {
        waiting[number] = positions
        var ready: [ClickBatch.JournalPosition] = []
        while let released = waiting.removeValue(forKey: next) {
            ready += released
            next += 1
        }
        return ready
    }
}
