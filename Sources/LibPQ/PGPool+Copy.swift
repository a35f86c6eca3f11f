import CLibPQ
import Dispatch
import NIOConcurrencyHelpers

extension PGPool {
    /// Streams a `COPY … FROM STDIN` from an async sequence of encoded chunks (whole
    /// text-format rows), holding one connection for the duration. Aborted, with nothing
    /// stored, when the sequence throws.
    /// - Parameters:
    ///   - sql: a fixed `COPY … FROM STDIN` statement.
    ///   - chunks: encoded rows; larger chunks (tens of KiB) mean fewer thread hops.
    /// - Returns: the number of rows stored.
    public func copyIn<Chunks: AsyncSequence & Sendable>(_ sql: String, from chunks: Chunks) async throws -> Int
    where Chunks.Element == [UInt8] {
        try await withLease { lease in
            try await lease.run { connection in try connection.beginCopyIn(sql) }
            do {
                for try await chunk in chunks {
                    try await lease.run { connection in try chunk.withUnsafeBytes { try connection.putCopyData($0) } }
                }
            } catch {
                _ = try? await lease.run { connection in connection.abortCopyIn() }
                throw error
            }
            return try await lease.run { connection in try connection.endCopyIn(sql) }
        }
    }

    /// Streams the output of a `COPY … TO STDOUT` as chunks of whole lines (about
    /// `chunkSize` bytes each), with backpressure: the server is read only as fast as the
    /// consumer takes chunks, so memory stays flat. Ending the iteration early cancels the
    /// statement.
    /// - Parameters:
    ///   - sql: a fixed `COPY (query) TO STDOUT` statement.
    ///   - chunkSize: bytes per chunk; default 64 KiB.
    ///   - bufferedChunks: chunks held ahead of the consumer; default 4.
    ///   - rows: appends each row (with its newline) to the chunk being filled; default
    ///     as it is. It runs on the pool's thread, one row at a time, in order.
    public func copyOut(
        _ sql: String, chunkSize: Int = 64 * 1024, bufferedChunks: Int = 4,
        rows: (@Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Void)? = nil
    ) -> PGCopyOutStream {
        PGCopyOutStream(pool: self, sql: sql, chunkSize: chunkSize, capacity: bufferedChunks, rows: rows)
    }
}

/// The chunks of a `COPY … TO STDOUT`, produced on the pool's thread pool and handed over
/// through a bounded buffer.
public struct PGCopyOutStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let pool: PGPool
    let sql: String
    let chunkSize: Int
    let capacity: Int
    let rows: (@Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Void)?

    public func makeAsyncIterator() -> Iterator {
        let bridge = CopyOutBridge(capacity: capacity)
        return Iterator(bridge: bridge, token: ConsumerToken(bridge: bridge), pool: pool, sql: sql, chunkSize: chunkSize, rows: rows)
    }

    /// Iterates the chunks; stops the COPY when it is dropped early.
    public struct Iterator: AsyncIteratorProtocol {
        let bridge: CopyOutBridge
        let token: ConsumerToken
        let pool: PGPool
        let sql: String
        let chunkSize: Int
        let rows: (@Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Void)?

        public mutating func next() async throws -> [UInt8]? {
            if bridge.markStarted() {
                let bridge = bridge
                let sql = sql
                let chunkSize = chunkSize
                let pool = pool
                let rows = rows
                Task {
                    do {
                        _ = try await pool.withConnection { connection in
                            var chunk: [UInt8] = []
                            chunk.reserveCapacity(chunkSize + 1024)
                            var open = true
                            _ = try connection.copyOut(sql) { line in
                                if let rows { rows(line, &chunk) } else { chunk.append(contentsOf: line) }
                                if chunk.count >= chunkSize {
                                    open = bridge.send(chunk)
                                    chunk.removeAll(keepingCapacity: true)
                                }
                                return open
                            }
                            if open, !chunk.isEmpty { _ = bridge.send(chunk) }
                        }
                        bridge.finish(nil)
                    } catch {
                        bridge.finish(error)
                    }
                }
            }
            return try await bridge.receive()
        }
    }
}

/// A bounded hand-over from a blocking producer thread to an async consumer.
final class CopyOutBridge: @unchecked Sendable {
    private struct State {
        var started = false
        var buffer: [[UInt8]] = []
        var consumer: CheckedContinuation<[UInt8]?, any Error>?
        var finished = false
        var failure: (any Error)?
        var consumerGone = false
        /// Slots taken from `space` and not yet given back (libdispatch aborts when a
        /// semaphore is freed below its initial count, e.g. after an early stop).
        var slotsTaken = 0
    }

    private let state = NIOLockedValueBox(State())
    private let space: DispatchSemaphore

    init(capacity: Int) {
        space = DispatchSemaphore(value: max(1, capacity))
    }

    func markStarted() -> Bool {
        state.withLockedValue { state in
            defer { state.started = true }
            return !state.started
        }
    }

    /// Blocks while the buffer is full. Returns `false` once the consumer is gone.
    func send(_ chunk: [UInt8]) -> Bool {
        space.wait()
        state.withLockedValue { $0.slotsTaken += 1 }
        enum Action {
            case gone
            case handed(CheckedContinuation<[UInt8]?, any Error>)
            case buffered
        }
        let action: Action = state.withLockedValue { state in
            if state.consumerGone { return .gone }
            if let consumer = state.consumer {
                state.consumer = nil
                return .handed(consumer)
            }
            state.buffer.append(chunk)
            return .buffered
        }
        switch action {
        case .gone:
            releaseSlot()
            return false
        case .handed(let consumer):
            releaseSlot()
            consumer.resume(returning: chunk)
            return true
        case .buffered:
            return true
        }
    }

    func finish(_ error: (any Error)?) {
        let consumer: CheckedContinuation<[UInt8]?, any Error>? = state.withLockedValue { state in
            state.finished = true
            state.failure = error
            if state.buffer.isEmpty {
                defer { state.consumer = nil }
                return state.consumer
            }
            return nil
        }
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }

    func receive() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            enum Action {
                case chunk([UInt8])
                case end
                case fail(any Error)
                case wait
            }
            let action: Action = state.withLockedValue { state in
                if !state.buffer.isEmpty { return .chunk(state.buffer.removeFirst()) }
                if state.finished {
                    if let failure = state.failure { return .fail(failure) }
                    return .end
                }
                state.consumer = continuation
                return .wait
            }
            switch action {
            case .chunk(let chunk):
                releaseSlot()
                continuation.resume(returning: chunk)
            case .end: continuation.resume(returning: nil)
            case .fail(let error): continuation.resume(throwing: error)
            case .wait: break
            }
        }
    }

    private func releaseSlot() {
        state.withLockedValue { $0.slotsTaken -= 1 }
        space.signal()
    }

    deinit {
        for _ in 0..<max(0, state.withLockedValue { $0.slotsTaken }) { space.signal() }
    }

    func consumerDropped() {
        state.withLockedValue { $0.consumerGone = true }
        space.signal()
    }

}

/// Owned by the consumer's iterator only: when the iterator is gone, the producer is told
/// to stop (the producer keeps the bridge alive, so the bridge cannot notice by itself).
final class ConsumerToken: Sendable {
    let bridge: CopyOutBridge
    init(bridge: CopyOutBridge) { self.bridge = bridge }
    deinit { bridge.consumerDropped() }
}
