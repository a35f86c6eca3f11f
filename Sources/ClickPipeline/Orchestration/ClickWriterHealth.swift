/// What the writers are doing, for the write-lag gauge and readiness: which groups are
/// being written (and since when their oldest click waits) and which writers are failing.
/// A pure value on instants it is given, so it is tested on a fake clock; the pipeline
/// keeps it under its lock.
///
/// The lag is the age of the oldest click not yet stored: a group a writer took out of the
/// queue still counts until it is stored, however long the writer retries it.
public struct ClickWriterHealth: Sendable {
    /// Groups taken by a writer and not yet stored or put back: number → oldest queued time.
    private var inFlight: [UInt64: ContinuousClock.Instant] = [:]
    /// Writers whose latest attempt failed: writer → first failure of the current streak.
    private var failingSince: [Int: ContinuousClock.Instant] = [:]

    /// Creates an idle health record.
    public init() {}

    /// A writer took group `number`, whose oldest click was queued at `oldest`.
    public mutating func began(group number: UInt64, oldest: ContinuousClock.Instant) {
        inFlight[number] = oldest
    }

    /// Group `number` was stored or put back into the queue.
    public mutating func ended(group number: UInt64) {
        inFlight[number] = nil
    }

    /// An attempt of `writer` failed at `now` (the streak starts at its first failure).
    public mutating func failed(writer: Int, at now: ContinuousClock.Instant) {
        if failingSince[writer] == nil { failingSince[writer] = now }
    }

    /// An attempt of `writer` succeeded (or the writer stopped): its streak ends.
    public mutating func succeeded(writer: Int) {
        failingSince[writer] = nil
    }

    /// Since when writes have been failing without a success in between: the earliest
    /// start of any writer's current failure streak; `nil` while no writer is failing.
    public var failingSinceInstant: ContinuousClock.Instant? { failingSince.values.min() }

    /// How long writes have been failing at `now`; `nil` while they are not.
    public func failingFor(at now: ContinuousClock.Instant) -> Duration? {
        failingSinceInstant.map { now - $0 }
    }

    /// The age at `now` of the oldest click not yet stored: the older of the queue's oldest
    /// batch and the groups being written; zero when nothing waits.
    /// - Parameters:
    ///   - now: the time of the reading.
    ///   - queuedOldest: ``ClickQueue/oldestQueuedAt`` of the queue.
    public func lag(at now: ContinuousClock.Instant, queuedOldest: ContinuousClock.Instant?) -> Duration {
        let oldest = [queuedOldest, inFlight.values.min()].compactMap { $0 }.min()
        guard let oldest, oldest < now else { return .zero }
        return now - oldest
    }
}
