import Glibc

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
