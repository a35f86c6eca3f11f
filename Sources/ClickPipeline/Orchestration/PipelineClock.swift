/// The time the click pipeline reads and waits on. Production uses ``SystemPipelineClock``;
/// tests give a manual clock, so the orchestration is exercised without sleeping.
public protocol PipelineClock: Sendable {
    /// The current instant.
    var now: ContinuousClock.Instant { get }

    /// Suspends until `deadline` (at once when it has passed).
    /// - Parameter deadline: the instant to wake at.
    /// - Throws: `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
}

/// The real monotonic clock (`ContinuousClock`).
public struct SystemPipelineClock: PipelineClock {
    /// Creates the clock.
    public init() {}

    public var now: ContinuousClock.Instant { .now }

    public func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }
}
