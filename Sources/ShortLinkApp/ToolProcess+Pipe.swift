import Foundation
import Spawn

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
        let (feed, input) = try SpawnPipe.pair()
        // Each end is closed exactly once on every path (a second close could hit a
        // descriptor another thread has opened since).
        let sink: SpawnedProcess
        do {
            sink = try SpawnedProcess(
                executable: consumer.0, arguments: consumer.1, environment: environment,
                standardInput: .descriptor(input.readEnd), standardOutput: .null,
                standardError: .descriptor(consumerErrors.fileDescriptor))
        } catch {
            feed.close()
            input.close()
            throw error
        }
        // The consumer's copy of its input is its own now.
        Descriptor.close(input.readEnd)
        let source: SpawnedProcess
        do {
            source = try SpawnedProcess(
                executable: producer.0, arguments: producer.1, environment: environment, standardInput: .null,
                standardOutput: .descriptor(feed.writeEnd), standardError: .descriptor(producerErrors.fileDescriptor))
        } catch {
            for end in [feed.readEnd, feed.writeEnd, input.writeEnd] { Descriptor.close(end) }
            sink.wait()
            throw error
        }
        // Our copy of the producer's end must go, or the reads below never see EOF.
        Descriptor.close(feed.writeEnd)
        // A consumer that stops early (an SQL error) must not kill us with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        var open = Descriptor.writeAll(Array(prologue.utf8), to: input.writeEnd)
        while let chunk = Descriptor.read(feed.readEnd, timeout: nil) {
            // A consumer that stopped gets nothing more; the producer is drained.
            if open { open = Descriptor.writeAll(chunk, to: input.writeEnd) }
        }
        Descriptor.close(feed.readEnd)
        let produced = source.wait()
        if open, produced == .exited(0) {
            _ = Descriptor.writeAll(Array(epilogue.utf8), to: input.writeEnd)
        }
        Descriptor.close(input.writeEnd)
        let consumed = sink.wait()
        return (
            Result(status: produced.status, standardOutput: "", standardError: contents(producerErrors)),
            Result(status: consumed.status, standardOutput: "", standardError: contents(consumerErrors))
        )
    }
}
