/// When the click writer leaves the CPU to the edge.
///
/// Redirects come first: while the machine's CPUs are contended (Linux pressure stall
/// information says tasks are waiting for a CPU), the writer holds its next write back,
/// and the captured clicks wait in the journal and the queue. They wait at most
/// ``maxDeferSeconds``: once the oldest waiting click is that old the writer writes
/// whatever the load, so under sustained overload clicks reach the database with at most
/// about that lag. Nothing is dropped by yielding; a shutdown never yields.
public struct WriteYielding: Sendable, Hashable {
    /// `false` writes as soon as clicks are queued, competing with the edge for the CPU.
    public var enabled: Bool
    /// Share of wall time (0–1) in which some task waited for a CPU, over the last sample,
    /// from which the writer holds back. Default 0.2.
    public var pressureThreshold: Double
    /// The longest a click waits because of yielding, in seconds. Default 30.
    public var maxDeferSeconds: Double
    /// Where CPU pressure is read: Linux pressure stall information, whose `some` line's
    /// `total=` counts microseconds in which a runnable task waited for a CPU. Without
    /// the file the writer never yields.
    public var pressureFile: String

    /// Creates the settings; every parameter has the documented default.
    public init(
        enabled: Bool = true, pressureThreshold: Double = 0.2, maxDeferSeconds: Double = 30,
        pressureFile: String = "/proc/pressure/cpu"
    ) {
        self.enabled = enabled
        self.pressureThreshold = pressureThreshold
        self.maxDeferSeconds = maxDeferSeconds
        self.pressureFile = pressureFile
    }

    /// Never yields.
    public static let never = WriteYielding(enabled: false)

    /// Whether to hold the next write back.
    /// - Parameters:
    ///   - pressure: the CPU stall share of the last sample, `nil` when unknown.
    ///   - oldestWaiting: how long the oldest queued click has waited, `nil` when none waits.
    ///   - stopping: a shutdown is draining the queue.
    public func shouldDefer(pressure: Double?, oldestWaiting: Duration?, stopping: Bool) -> Bool {
        guard enabled, !stopping, let pressure, let oldestWaiting else { return false }
        guard oldestWaiting < .milliseconds(Int64(maxDeferSeconds * 1000)) else { return false }
        return pressure >= pressureThreshold
    }
}
