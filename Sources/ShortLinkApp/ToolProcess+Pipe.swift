import Foundation

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
            Result(status: sinkStatus, standardOutput: "", standardError: contents(consumerErrors))
        )
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
