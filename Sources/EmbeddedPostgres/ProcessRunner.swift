import Foundation
import Glibc

/// Runs a command with Foundation's `Process`, capturing its output, and never
/// waits longer than a time limit.
///
/// Standard output and standard error go to unlinked temporary files rather than
/// pipes: a file never fills up, so the child can never block on a full pipe,
/// and a grandchild that keeps the descriptor open (a daemon) cannot make the
/// reader wait for an end-of-file that never comes.
///
/// Commands that leave a daemon behind (`pg_ctl start`) need ``run(_:_:timeout:leavesDaemon:)``
/// with `leavesDaemon: true`: on Linux, Foundation learns that a child exited when every
/// copy of a socket it hands to the child is closed, and a daemon inheriting that socket
/// would keep `Process.isRunning` true for as long as the daemon lives.
struct ProcessRunner: Sendable {
    /// The environment every command gets.
    var environment: [String: String]

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - environment: The complete environment for commands; default ``SubprocessEnvironment/make(from:)``.
    init(environment: [String: String] = SubprocessEnvironment.make()) {
        self.environment = environment
    }

    /// Runs `executable` with `arguments` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - executable: Absolute path of the program.
    ///   - arguments: Its arguments.
    ///   - timeout: Seconds to wait before the process is terminated (then killed).
    ///   - leavesDaemon: Whether the command starts a process that outlives it; default `false`.
    ///     When `true` the command runs under `bash`, which closes every inherited descriptor
    ///     above 2 for it, so the daemon cannot hold Foundation's exit-notification socket.
    /// - Returns: The exit status and captured output; a non-zero status is not an error.
    /// - Throws: ``EmbeddedPostgresError/Code/commandFailed`` when the process cannot be launched.
    func run(_ executable: String, _ arguments: [String], timeout: Double, leavesDaemon: Bool = false) throws -> ProcessResult {
        // `leavesDaemon` no longer changes anything: waitpid reports the child's exit even
        // when a daemon it started still holds the inherited output descriptors.
        let commandLine = ([executable] + arguments).map(Self.quoted).joined(separator: " ")
        let output = try CaptureFile()
        let errors = try CaptureFile()

        // posix_spawn + waitpid rather than Foundation's Process: Process reaps children
        // through a SIGCHLD dispatch source, which never fired when called from some
        // threads (test runner, NIO thread pool), leaving a zombie and a hung caller.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output.handle.fileDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, errors.handle.fileDescriptor, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGCHLD)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw EmbeddedPostgresError(
                code: .commandFailed,
                message: "Could not run `\(commandLine)`: \(String(cString: strerror(spawned)))")
        }

        var status: Int32 = 0
        var timedOut = false
        if !Self.wait(pid, status: &status, until: Date().addingTimeInterval(timeout)) {
            timedOut = true
            kill(pid, SIGTERM)
            if !Self.wait(pid, status: &status, until: Date().addingTimeInterval(3)) {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            }
        }
        let exitCode: Int32 = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)

        return ProcessResult(
            commandLine: commandLine,
            exitCode: exitCode,
            standardOutput: output.contents(),
            standardError: errors.contents(),
            timedOut: timedOut)
    }

    /// Polls `waitpid` until the child exits or `deadline` passes; `true` when it exited.
    private static func wait(_ pid: pid_t, status: inout Int32, until deadline: Date) -> Bool {
        var delay: useconds_t = 1_000
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return true }
            if result == -1 && errno != EINTR { return true }
            if Date() >= deadline { return false }
            usleep(delay)
            delay = min(delay * 2, 50_000)
        }
    }

    /// `argument`, single-quoted when it holds characters a shell would interpret.
    static func quoted(_ argument: String) -> String {
        let plain = argument.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:,@%+".unicodeScalars.contains($0)
        }
        if plain && !argument.isEmpty { return argument }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// An anonymous temporary file that collects one output stream of a child process.
private final class CaptureFile {
    let handle: FileHandle

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/embedded-postgres-output.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw EmbeddedPostgresError(
                code: .commandFailed,
                message: "Could not create a temporary file to capture command output: \(String(cString: strerror(errno))).")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Everything written to the file so far, decoded as UTF-8.
    func contents() -> String {
        guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
