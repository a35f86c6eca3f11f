import Foundation
import Glibc
import Spawn

/// Runs a command through ``Spawn/SpawnedProcess`` (not Foundation's `Process`, which
/// crashes now and then on Linux), capturing its output into unlinked temporary files
/// (never pipes), and never waits longer than a time limit. Commands that leave a daemon
/// behind (`pg_ctl start`) run under `bash`, which closes every inherited descriptor above 2
/// first, so the server holds none of the caller's descriptors even where glibc cannot
/// close them at spawn.
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

    /// Runs `executable` with `arguments` in `/` and waits for it to exit.
    ///
    /// - Parameters:
    ///   - executable: Absolute path of the program.
    ///   - arguments: Its arguments.
    ///   - timeout: Seconds to wait before the process is terminated (then killed).
    ///   - leavesDaemon: Whether the command starts a process that outlives it; default `false`.
    ///     When `true` the command runs under `bash`, which closes every inherited descriptor
    ///     above 2 for it.
    /// - Returns: The exit status (128 + the signal number when killed by a signal, -1 when it
    ///   could not be observed) and the captured output; a non-zero status is not an error.
    /// - Throws: ``EmbeddedPostgresError/Code/commandFailed`` when the process cannot be launched.
    func run(_ executable: String, _ arguments: [String], timeout: Double, leavesDaemon: Bool = false) throws -> ProcessResult {
        let commandLine = ([executable] + arguments).map(Self.quoted).joined(separator: " ")
        let output = try CaptureFile()
        let errors = try CaptureFile()

        let executablePath: String
        let commandArguments: [String]
        if leavesDaemon {
            executablePath = try Self.bashPath()
            commandArguments = ["-c", Self.closeInheritedDescriptorsScript, "embedded-postgres", executable] + arguments
        } else {
            executablePath = executable
            commandArguments = arguments
        }
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(
                executable: executablePath, arguments: commandArguments, environment: environment, directory: "/",
                standardInput: .null, standardOutput: .descriptor(output.handle.fileDescriptor),
                standardError: .descriptor(errors.handle.fileDescriptor))
        } catch {
            throw EmbeddedPostgresError(
                code: .commandFailed,
                message: "Could not run `\(commandLine)`: \(error)")
        }

        var termination = process.wait(until: .now + .seconds(timeout))
        let timedOut = termination == nil
        if timedOut {
            process.send(SIGTERM)
            termination = process.wait(until: .now + .seconds(3))
            if termination == nil {
                process.send(SIGKILL)
                termination = process.wait(until: .now + .seconds(3))
            }
        }

        return ProcessResult(
            commandLine: commandLine,
            exitCode: termination?.status ?? -1,
            standardOutput: output.contents(),
            standardError: errors.contents(),
            timedOut: timedOut)
    }

    /// Runs `"$@"` with every descriptor above 2 closed, then exits with its status
    /// (the trailing `exit` keeps bash from replacing itself with the command).
    static let closeInheritedDescriptorsScript = #"""
        closes=""
        for fd in /proc/$$/fd/*; do
          fd=${fd##*/}
          if [ "$fd" -gt 2 ] 2>/dev/null; then closes="$closes $fd>&-"; fi
        done
        eval "\"\$@\"$closes"
        exit $?
        """#

    /// The path of `bash`.
    static func bashPath() throws -> String {
        if let found = ["/bin/bash", "/usr/bin/bash"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            return found
        }
        throw EmbeddedPostgresError(
            code: .commandFailed,
            message: "bash is needed to start the server in the background but was not found. Install it with: apt-get install -y bash")
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
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// Everything written to the file so far, decoded as UTF-8.
    func contents() -> String {
        guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
