import ClickPipeline
import Foundation
import Prometheus
import ShortLinkApp
import ShortLinkTesting
import Synchronization
import Testing

/// The writer leaves the CPUs to the edge while they are contended, for at most
/// clicks.maxDeferSeconds, and writes a backlog in catch-up-sized transactions. CPU
/// pressure comes from a fake PSI file (``ContendedCPUs``), so the test does not depend on
/// how busy the machine really is.
@Suite(.teardown) struct ClickYieldingTests {
    @Test func contendedCPUs_holdWritesBack_forAtMostMaxDefer_thenTheBacklogGoesInOneTransaction() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "held")
        let pressure = ContendedCPUs()
        defer { pressure.finish() }
        let service = try await RunningService(
            url: db.url, pool: db.pool,
            yielding: WriteYielding(enabled: true, pressureThreshold: 0.5, maxDeferSeconds: 8, pressureFile: pressure.path),
            maxClicksPerWrite: 10, catchUpClicksPerWrite: 1_000)
        // No pause for the sampler's first window: the writer itself waits for it before
        // its first decision (ClickPipelineStateMachineTests checks that on a fake clock).
        try await send(60, to: service.port, path: "/held")

        try await heldBack(service, clicks: 60, for: .milliseconds(1_500))
        #expect(try await clickCounts(db.pool, code: "held").rows == 0, "written while the CPUs were contended")
        // The rows are visible at the commit; the writer counts its batch just after it.
        try await waitUntil(timeout: .seconds(30)) {
            try await clickCounts(db.pool, code: "held").rows == 60 && service.clicks.statistics.written == 60
        }
        let statistics = service.clicks.statistics
        #expect(statistics.batches == 1, "a backlog over maxClicksPerWrite goes in one catch-up transaction")
        // How long writer 0 counted as yielding depends on when it first saw the clicks, which
        // a loaded machine can delay by seconds (a CI run counted 3.6 s of the 8): the hold
        // itself is checked above; here, that it was counted, and counted alike in both places.
        #expect(statistics.yieldedSeconds > 0)
        // What /metrics will show.
        let metrics = service.assembly.metrics.emitToString()
        let yielded = metrics.split(separator: "\n").first { $0.hasPrefix("shortlinks_click_write_yield_seconds_total ") }
            .flatMap { Double($0.split(separator: " ")[1]) }
        #expect(abs((yielded ?? -1) - statistics.yieldedSeconds) < 1e-6, "shortlinks_click_write_yield_seconds_total in: \(metrics)")
        #expect(metrics.contains("shortlinks_click_write_lag_seconds "))
        try await service.shutdown()
        #expect(try await clickCounts(db.pool, code: "held") == (60, 60))
    }

    @Test func whenTheContentionEnds_theWriterResumesWithoutWaitingForMaxDefer() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "resumed")
        let pressure = ContendedCPUs()
        defer { pressure.finish() }
        let service = try await RunningService(
            url: db.url, pool: db.pool,
            yielding: WriteYielding(enabled: true, pressureThreshold: 0.5, maxDeferSeconds: 600, pressureFile: pressure.path))
        try await send(25, to: service.port, path: "/resumed")

        try await heldBack(service, clicks: 25, for: .milliseconds(1_500))
        #expect(try await clickCounts(db.pool, code: "resumed").rows == 0, "written while the CPUs were contended")
        pressure.stop()
        try await waitUntil(timeout: .seconds(30)) { try await clickCounts(db.pool, code: "resumed").rows == 25 }
        try await service.shutdown()
        #expect(service.clicks.statistics.written == 25)
    }

    /// Waits until the pipeline holds all `clicks` and the oldest has waited `duration` by
    /// the pipeline's own write lag (or until it wrote any: then the caller's checks fail).
    /// A wait on the pipeline's state with a deadline, not a sleep that hopes the writer has
    /// had its chance: a loaded machine that delays the writer only makes the wait longer.
    private func heldBack(_ service: RunningService, clicks: Int, for duration: Duration) async throws {
        try await waitUntil(timeout: .seconds(30)) {
            let statistics = service.clicks.statistics
            return statistics.written > 0 || (statistics.received == clicks && service.clicks.writeLag >= duration)
        }
        #expect(service.clicks.statistics.written == 0, "written while the CPUs were contended")
    }

    /// Sends the redirects pipelined on one connection, so that they are captured within
    /// moments of each other however busy the machine is.
    private func send(_ count: Int, to port: Int, path: String) async throws {
        var text = ""
        for index in 0..<count {
            text += "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (index == count - 1 ? "Connection: close\r\n" : "") + "\r\n"
        }
        let bytes = Array(text.utf8)
        let answers = try await offload { try LoopbackHTTP.exchange(port: port, bytes: bytes) }
        #expect(answers.components(separatedBy: "HTTP/1.1 302").count - 1 == count)
    }
}

/// A fake `/proc/pressure/cpu` that reads as fully contended until ``stop()`` and as idle
/// after it, whatever the machine's real load and however late this process's threads run.
///
/// `path` is a symbolic link to a named pipe. A thread answers each reader that opens it
/// with a PSI record whose `some` total has grown by 10⁶ s since the last one while
/// contended (so any sample window reads as a share of 1), and by nothing after `stop()`.
/// The value depends on the reads, not on time: a file that a thread kept rewriting on a
/// timer read as idle whenever a loaded CI machine left that thread unscheduled for a
/// sample window (the writer then wrote while it should have held back).
final class ContendedCPUs: Sendable {
    let path = NSTemporaryDirectory() + "psi-\(UUID().uuidString)"
    private var fifo: String { path + ".fifo" }
    private struct State {
        var contended = true
        var finishing = false
        var total: UInt64 = 0
    }
    private let state = Mutex(State())
    private let exited = DispatchSemaphore(value: 0)

    init() {
        guard mkfifo(fifo, 0o600) == 0, symlink(fifo, path) == 0 else {
            fatalError("ContendedCPUs: cannot create the named pipe \(fifo): errno \(errno)")
        }
        let fifo = fifo
        Thread.detachNewThread { [self] in serve(fifo) }
    }

    /// From now on every read reports no new stall.
    func stop() {
        state.withLock { $0.contended = false }
    }

    /// Puts a regular file with the last total in the pipe's place (a late reader reads
    /// "no new stall" instead of waiting for a writer that has gone), ends the thread and
    /// removes both files. Call once the service under test no longer samples, or at least
    /// no longer needs contention.
    func finish() {
        let total = state.withLock { state in
            state.finishing = true
            state.contended = false
            return state.total
        }
        let replacement = path + ".file"
        try? Self.record(total: total).write(toFile: replacement, atomically: false, encoding: .utf8)
        rename(replacement, path)
        // Wakes the thread if it waits in open() for a reader; it sees `finishing` and exits.
        let wake = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        exited.wait()
        if wake >= 0 { close(wake) }
        unlink(fifo)
        unlink(path)
    }

    private func serve(_ fifo: String) {
        // A reader that closes before the write must cost an EPIPE, not the process.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        defer { exited.signal() }
        while true {
            // Blocks until a reader opens the pipe.
            let fd = open(fifo, O_WRONLY | O_CLOEXEC)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let next: UInt64? = state.withLock { state in
                if state.finishing { return nil }
                if state.contended { state.total += 1_000_000_000_000 }
                return state.total
            }
            guard let next else {
                close(fd)
                return
            }
            let bytes = Array(Self.record(total: next).utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    private static func record(total: UInt64) -> String {
        "some avg10=0.00 avg60=0.00 avg300=0.00 total=\(total)\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
    }
}
