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

extension ToolProcess {
    /// Runs `producer` with its output fed, after `prologue`, into `consumer`'s input, and
    /// appends `epilogue` only when the producer succeeded; otherwise the consumer's input
    /// just ends. With `psql` as the consumer and `BEGIN`/`COMMIT` as prologue and epilogue,
    /// a producer that fails half-way (a damaged archive) leaves a transaction that is never
    /// committed, so nothing changes.
    /// - Returns: both outcomes (the consumer's standard output is discarded).
    static func pipe(
        producer: (String, [String]), into consumer: (String, [String]), environment: [String: String],
        prologue: String, epilogue: String
    ) throws -> (producer: Result, consumer: Result) {
        let producerErrors = try temporaryFile()
        let consumerErrors = try temporaryFile()
        let feed = Pipe()
        let input = Pipe()
        let source = Process()
        source.executableURL = URL(fileURLWithPath: producer.0)
        source.arguments = producer.1
        source.environment = environment
        source.standardInput = FileHandle.nullDevice
        source.standardOutput = feed
        source.standardError = producerErrors
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: consumer.0)
        sink.arguments = consumer.1
        sink.environment = environment
        sink.standardInput = input
        sink.standardOutput = FileHandle.nullDevice
        sink.standardError = consumerErrors
        try sink.run()
        do {
            try source.run()
        } catch {
            try? input.fileHandleForWriting.close()
            sink.waitUntilExit()
            throw error
        }
        // Our copies of the ends the children use must go, or the reads below never see EOF.
        try? feed.fileHandleForWriting.close()
        try? input.fileHandleForReading.close()
        let writer = input.fileHandleForWriting.fileDescriptor
        var open = writeAll(Array(prologue.utf8), to: writer)
        while true {
            let chunk = feed.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            // A consumer that stopped (an SQL error) gets nothing more; the producer is drained.
            if open { open = writeAll(Array(chunk), to: writer) }
        }
        source.waitUntilExit()
        if open, source.terminationReason == .exit, source.terminationStatus == 0 {
            _ = writeAll(Array(epilogue.utf8), to: writer)
        }
        try? input.fileHandleForWriting.close()
        sink.waitUntilExit()
        func contents(_ handle: FileHandle) -> String {
            guard (try? handle.seek(toOffset: 0)) != nil, let data = try? handle.readToEnd() else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
        let sourceStatus = source.terminationReason == .exit ? source.terminationStatus : 128 + source.terminationStatus
        let sinkStatus = sink.terminationReason == .exit ? sink.terminationStatus : 128 + sink.terminationStatus
        return (
            Result(status: sourceStatus, standardOutput: "", standardError: contents(producerErrors)),
            Result(status: sinkStatus, standardOutput: "", standardError: contents(consumerErrors)))
    }

    /// Writes every byte; `false` when the reader has gone (EPIPE; SIGPIPE is ignored for that).
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        signal(SIGPIPE, SIG_IGN)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
