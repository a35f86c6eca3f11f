import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        func contents(_ handle: FileHandle) -> String {
            guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        return Result(status: process.terminationStatus, standardOutput: contents(output), standardError: contents(errors))
    }

    static func temporaryFile() throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/shortlinks-tool.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw AppError(code: .invalidConfiguration, message: "could not create a temporary file in \(NSTemporaryDirectory())")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}
