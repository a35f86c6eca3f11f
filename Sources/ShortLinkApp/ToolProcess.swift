import Foundation
import Spawn

/// Runs a helper program (`pg_dump`, `pg_restore`) to completion, blocking the calling thread:
/// call it from a thread-pool thread, never from an event loop or the cooperative pool.
/// Output goes to unlinked temporary files rather than pipes, so a chatty program can never
/// stall on a full pipe.
enum ToolProcess {
    /// The outcome of one run.
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// - Parameters:
    ///   - executable: absolute path.
    ///   - arguments: its arguments (never a password: they are visible to every user in `ps`).
    ///   - environment: the complete environment.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> Result {
        let output = try temporaryFile()
        let errors = try temporaryFile()
        let process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: environment, standardInput: .null,
            standardOutput: .descriptor(output.fileDescriptor), standardError: .descriptor(errors.fileDescriptor))
        let termination = process.wait()
        return Result(status: termination.status, standardOutput: contents(output), standardError: contents(errors))
    }

    /// What a temporary file made by ``temporaryFile()`` holds.
    static func contents(_ handle: FileHandle) -> String {
        guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func temporaryFile() throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/shortlinks-tool.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "could not create a temporary file in \(NSTemporaryDirectory())")
        }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
