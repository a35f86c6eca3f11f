public import ShortLinkCore

/// A batch waiting for the writer. Its bytes may have been let go (over the memory
/// bound) when its records also lie in a journal segment, from which they are read back.
public struct PendingBatch: Sendable {
    /// The records, or `nil` when only the journal holds them.
    public var bytes: [UInt8]?
    /// Number of records.
    public var count: Int
    /// Where the records lie in the journal, if they do.
    public var journal: ClickBatch.JournalPosition?
    /// Offset of the first record in the journal segment.
    public var journalStart: Int
    /// When the edge handed the batch over.
    public var queuedAt: ContinuousClock.Instant
}

/// The writer's in-memory queue, bounded in bytes. A pure value: the pipeline keeps it
/// under a lock and acts on the outcomes.
public struct ClickQueue: Sendable {
    /// What happened to a pushed batch.
    public enum Outcome: Sendable, Hashable {
        /// Kept in memory.
        case queued
        /// Over the memory bound; only its place in the journal is kept.
        case spilled
        /// Over twice the memory bound with no journal copy: lost, and counted.
        case dropped
    }

    /// Bytes of records kept in memory before batches are spilled.
    public let memoryBound: Int
    private var batches: [PendingBatch] = []
    private var head = 0
    /// Clicks waiting.
    public private(set) var clicks = 0
    /// Bytes of records held in memory.
    public private(set) var residentBytes = 0

    /// - Parameter memoryBound: bytes of records kept in memory.
    public init(memoryBound: Int) {
        self.memoryBound = memoryBound
    }

    /// `true` when nothing waits.
    public var isEmpty: Bool { head == batches.count }

    /// When the oldest waiting batch was queued, `nil` when none waits.
    public var oldestQueuedAt: ContinuousClock.Instant? {
        head < batches.count ? batches[head].queuedAt : nil
    }

    /// Queues a batch from an event loop.
    /// - Parameters:
    ///   - batch: the batch.
    ///   - now: the time it is queued at.
    public mutating func push(_ batch: ClickBatch, at now: ContinuousClock.Instant = .now) -> Outcome {
        let size = batch.bytes.count
        let start = (batch.journal?.end ?? size) - size
        if residentBytes + size > memoryBound {
            if batch.journal != nil {
                append(PendingBatch(bytes: nil, count: batch.count, journal: batch.journal, journalStart: start, queuedAt: now))
                return .spilled
            }
            if residentBytes + size > 2 * memoryBound { return .dropped }
        }
        residentBytes += size
        append(PendingBatch(bytes: batch.bytes, count: batch.count, journal: batch.journal, journalStart: start, queuedAt: now))
        return .queued
    }

    /// Puts batches back at the front (a write that could not finish).
    /// - Parameter group: batches taken by ``take(maxClicks:)``, in order.
    public mutating func putBack(_ group: [PendingBatch]) {
        for batch in group {
            clicks += batch.count
            residentBytes += batch.bytes?.count ?? 0
        }
        batches.replaceSubrange(0..<head, with: [])
        head = 0
        batches.insert(contentsOf: group, at: 0)
    }

    /// Takes batches from the front until they hold at least `maxClicks` clicks (always at
    /// least one batch when any waits).
    /// - Parameter maxClicks: the target group size.
    public mutating func take(maxClicks: Int) -> [PendingBatch] {
        var group: [PendingBatch] = []
        var taken = 0
        while head < batches.count, group.isEmpty || taken + batches[head].count <= maxClicks {
            let batch = batches[head]
            group.append(batch)
            taken += batch.count
            clicks -= batch.count
            residentBytes -= batch.bytes?.count ?? 0
            head += 1
        }
        if head > 1_024, head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
        return group
    }

    /// Removes and returns everything (shutdown).
    public mutating func takeAll() -> [PendingBatch] {
        take(maxClicks: Int.max)
    }

    private mutating func append(_ batch: PendingBatch) {
        batches.append(batch)
        clicks += batch.count
    }
}
