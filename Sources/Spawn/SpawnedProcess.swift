public import Glibc
import Synchronization

/// A child process started with `posix_spawn`, in place of Foundation's `Process`.
///
/// Why not `Process`: on Linux its `run()` reads `/proc/self/fd` to close inherited
/// descriptors and copies each directory entry's whole 256-byte name field, reading past
/// glibc's buffer; with many descriptors open (a test process full of sockets, a busy
/// server) it crashes now and then with SIGSEGV inside `run()` (seen in this project's CI
/// with Swift 6.3.1; fixed upstream in swift-corelibs-foundation after that release). Its
/// pipes' `readDataToEndOfFile()` also stops the process on an `EINTR`. Here the child
/// closes every descriptor above 2 through glibc's `posix_spawn_file_actions_addclosefrom_np`
/// (glibc 2.34+; looked up at run time, as the Glibc module does not declare these GNU
/// extensions), every wait retries on `EINTR`, and nothing runs on a manager thread.
///
/// Like `Process`, the child starts in a process group of its own (a Ctrl-C meant for the
/// parent does not reach a server it started), with every signal at its default action and
/// none blocked (an ignored `SIGPIPE` of the parent is not inherited).
public final class SpawnedProcess: Sendable {
    /// The child's process id.
    public let pid: pid_t
    /// What was run, for messages.
    public let executable: String
    private let termination = Mutex<Termination?>(nil)

    /// Starts `executable`.
    /// - Parameters:
    ///   - executable: absolute path of the program.
    ///   - arguments: its arguments (not including the program name).
    ///   - environment: the child's complete environment.
    ///   - directory: the working directory; default the parent's.
    ///   - standardInput: default `/dev/null`.
    ///   - standardOutput: default the parent's.
    ///   - standardError: default the parent's.
    ///   - newProcessGroup: default `true`.
    /// - Throws: ``SpawnError`` when the program cannot be started.
    public init(
        executable: String, arguments: [String], environment: [String: String], directory: String? = nil,
        standardInput: SpawnStream = .null, standardOutput: SpawnStream = .inherit, standardError: SpawnStream = .inherit,
        newProcessGroup: Bool = true
    ) throws {
        self.executable = executable
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)

        for (target, stream) in [(STDIN_FILENO, standardInput), (STDOUT_FILENO, standardOutput), (STDERR_FILENO, standardError)] {
            switch stream {
            case .inherit: break
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let descriptor):
                posix_spawn_file_actions_adddup2(&actions, descriptor, target)
            }
        }
        if let directory {
            guard let addChdir = Self.addChdir else { throw SpawnError(executable: executable, code: ENOSYS) }
            _ = addChdir(&actions, directory)
        }
        // After the dup2s: their sources above 2 are closed in the child too.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child = pid_t()
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw SpawnError(executable: executable, code: result) }
        pid = child
    }

    /// How the child ended, without waiting: `nil` while it runs.
    public func poll() -> Termination? {
        termination.withLock { termination in
            if let termination { return termination }
            var status: Int32 = 0
            var reaped: pid_t
            repeat { reaped = waitpid(pid, &status, WNOHANG) } while reaped == -1 && errno == EINTR
            guard reaped == pid else { return nil }
            termination = Termination(waitStatus: status)
            return termination
        }
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { poll() == nil }

    /// Blocks until the child ends.
    @discardableResult
    public func wait() -> Termination {
        while true {
            if let ended = poll() { return ended }
            // Waits without reaping, so that `poll()` stays the only place that reaps.
            var info = siginfo_t()
            let result = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT)
            if result == -1 && errno != EINTR, poll() == nil {
                // Reaped by someone else (never by this type): report it as lost.
                return .signaled(SIGKILL)
            }
        }
    }

    /// Waits until the child ends or `deadline` passes (polling with a growing pause).
    /// - Returns: how it ended, or `nil` when it still runs at the deadline.
    public func wait(until deadline: ContinuousClock.Instant) -> Termination? {
        var pause = Duration.microseconds(500)
        while true {
            if let ended = poll() { return ended }
            if ContinuousClock.now >= deadline { return nil }
            let seconds = pause.components
            var request = timespec(tv_sec: Int(seconds.seconds), tv_nsec: Int(seconds.attoseconds / 1_000_000_000))
            _ = nanosleep(&request, nil)
            pause = min(pause * 2, .milliseconds(20))
        }
    }

    /// Sends `signal` to the child, unless it has already been reaped (its pid may then be
    /// another process's).
    public func send(_ signal: Int32) {
        termination.withLock { termination in
            if termination == nil { _ = kill(pid, signal) }
        }
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    /// glibc 2.29+.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    /// glibc 2.34+; looked up at run time because the Glibc module does not declare it.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()
}

/// Where one of the child's standard streams goes.
public enum SpawnStream: Sendable {
    /// The parent's own stream.
    case inherit
    /// `/dev/null`.
    case null
    /// A descriptor of the parent (a pipe's end, a file), duplicated onto the stream.
    case descriptor(Int32)
}

/// How a child ended.
public enum Termination: Sendable, Equatable {
    /// It exited with this code.
    case exited(Int32)
    /// A signal ended it.
    case signaled(Int32)

    init(waitStatus status: Int32) {
        let signal = status & 0x7f
        self = signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// The exit code, or 128 plus the signal's number as a shell reports it.
    public var status: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}

/// A program could not be started.
public struct SpawnError: Error, CustomStringConvertible, Sendable {
    /// The program.
    public let executable: String
    /// The `posix_spawn` error number.
    public let code: Int32

    /// E.g. `cannot run /usr/bin/pg_dump: No such file or directory`.
    public var description: String { "cannot run \(executable): \(String(cString: strerror(code)))" }
}
