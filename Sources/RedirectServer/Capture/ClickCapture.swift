import ShortLinkCore

/// One event loop's capture buffer: clicks are appended as ``ClickRecord``s and handed to
/// the sink in batches (when full, or on the loop's flush timer).
///
/// Only its own event loop touches it, so appending needs no lock; it allocates only when
/// a batch is handed off (a fresh buffer with the same reserved capacity).
final class ClickCapture {
    private let sink: any ClickSink
    private let batchSize: Int
    private let reservedBytes: Int
    private var buffer: [UInt8] = []
    private var pending = 0
    private var random = FastRandom()

    /// - Parameters:
    ///   - sink: where batches go.
    ///   - batchSize: records per batch before an immediate hand-off.
    init(sink: any ClickSink, batchSize: Int) {
        self.sink = sink
        self.batchSize = max(1, batchSize)
        self.reservedBytes = min(self.batchSize, 4_096) * 512
        buffer.reserveCapacity(reservedBytes)
    }

    /// Records one answered redirect.
    @inline(__always)
    func record(
        linkID: EntityID, now: Timestamp, clientIP: IPAddress?, method: ClickEvent.Method,
        fields: ClickRecord.Fields
    ) {
        let id = EntityID.version7(unixMilliseconds: UInt64(max(0, now.unixMilliseconds)), using: &random)
        ClickRecord.append(
            to: &buffer, id: id, linkID: linkID, timestamp: now, clientIP: clientIP, method: method, fields: fields)
        pending += 1
        if pending >= batchSize { flush() }
    }

    /// Hands whatever is buffered to the sink.
    func flush() {
        guard pending > 0 else { return }
        let batch = ClickBatch(bytes: buffer, count: pending)
        buffer = []
        buffer.reserveCapacity(reservedBytes)
        pending = 0
        sink.submit(batch)
    }
}
