import Glibc

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

/// Samples Linux pressure stall information for CPUs (`/proc/pressure/cpu`): the share
/// of wall time in which at least one runnable task waited for a CPU, between two samples.
/// Called from the writer task only (a small procfs read, never on an event loop).
struct CPUPressure {
    private let path: String
    /// Samples closer together than this return the previous share.
    let window: Duration
    private var last: (at: ContinuousClock.Instant, stalledMicroseconds: UInt64)?
    private var latest: Double?
    private var unavailable = false

    /// - Parameters:
    ///   - path: the PSI file.
    ///   - window: samples closer together than this return the previous share.
    init(path: String = "/proc/pressure/cpu", window: Duration = .milliseconds(100)) {
        self.path = path
        self.window = window
    }

    /// `false` once the file could not be read (kernel without PSI): yielding is then off.
    var isAvailable: Bool { !unavailable }

    /// The stall share of the latest complete window, or `nil` before the first one or
    /// without PSI.
    mutating func share(now: ContinuousClock.Instant = .now) -> Double? {
        guard !unavailable else { return nil }
        if let last, now - last.at < window { return latest }
        guard let stalled = readStalledMicroseconds() else {
            unavailable = true
            return nil
        }
        if let last {
            let windowMicroseconds = (now - last.at).seconds * 1e6
            let delta = stalled >= last.stalledMicroseconds ? Double(stalled - last.stalledMicroseconds) : 0
            latest = windowMicroseconds > 0 ? min(1, delta / windowMicroseconds) : latest
        }
        last = (now, stalled)
        return latest
    }

    private func readStalledMicroseconds() -> UInt64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return Self.someTotal(in: buffer[..<count])
    }

    /// The `total=` of the `some` line of a PSI file, in microseconds.
    static func someTotal(in text: some Collection<UInt8>) -> UInt64? {
        let line = text.split(separator: UInt8(ascii: "\n")).first { $0.starts(with: Array("some ".utf8)) }
        guard let line else { return nil }
        for field in line.split(separator: UInt8(ascii: " ")) where field.starts(with: Array("total=".utf8)) {
            let digits = field.dropFirst(6)
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.count <= 19 else { return nil }
            return digits.reduce(0) { $0 * 10 + UInt64($1 - 48) }
        }
        return nil
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
