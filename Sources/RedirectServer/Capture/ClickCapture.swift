import ShortLinkCore

/// One event loop's capture buffer: clicks are written as ``ClickRecord``s and handed to the
/// sink in batches (when full, or on the loop's flush timer).
///
/// When the sink offers journal memory (``ClickSink/captureStorage``), each record is written
/// straight into a shared file mapping before the redirect's response is flushed, so it
/// survives a crash of the process; a hand-off then copies the records since the last one.
/// Without journal memory (or while none is ready) records go to an ordinary buffer.
///
/// Only its own event loop touches it, so writing needs no lock; it allocates only when a
/// batch is handed off.
final class ClickCapture {
    private let sink: any ClickSink
    private let storage: (any CaptureStorage)?
    private let batchSize: Int
    private let reservedBytes: Int
    private var buffer: [UInt8] = []
    private var pending = 0
    private var random = FastRandom()
    /// The journal region being written, where the next record goes, and where the records
    /// not yet handed off begin.
    private var region: CaptureRegion?
    private var written = 0
    private var handedOff = 0

    /// - Parameters:
    ///   - sink: where batches go.
    ///   - batchSize: records per batch before an immediate hand-off.
    init(sink: any ClickSink, batchSize: Int) {
        self.sink = sink
        self.storage = sink.captureStorage
        self.batchSize = max(1, batchSize)
        self.reservedBytes = min(self.batchSize, 4_096) * 512
        self.region = storage?.nextRegion()
        if region == nil { buffer.reserveCapacity(reservedBytes) }
    }

    /// Records one answered redirect.
    @inline(__always)
    func record(
        linkID: EntityID, now: Timestamp, clientIP: IPAddress?, method: ClickEvent.Method,
        fields: ClickRecord.Fields
    ) {
        let id = EntityID.version7(unixMilliseconds: UInt64(max(0, now.unixMilliseconds)), using: &random)
        if region != nil {
            let length = ClickRecord.encodedLength(fields)
            if written + length > region!.capacity { rotate() }
            if let region {
                written += ClickRecord.write(
                    to: region.start + written, id: id, linkID: linkID, timestamp: now, clientIP: clientIP,
                    method: method, fields: fields)
                pending += 1
                if pending >= batchSize { flush() }
                return
            }
        }
        ClickRecord.append(
            to: &buffer, id: id, linkID: linkID, timestamp: now, clientIP: clientIP, method: method, fields: fields)
        pending += 1
        if pending >= batchSize { flush() }
    }

    /// Hands whatever is buffered to the sink.
    func flush() {
        handOff(sealing: false)
        if region == nil, let storage, let next = storage.nextRegion() {
            // Journal memory is ready again after a shortage.
            region = next
            written = 0
            handedOff = 0
        }
    }

    /// Hands off everything and gives the current journal region back (shutdown).
    func close() {
        handOff(sealing: true)
        region = nil
    }

    private func rotate() {
        handOff(sealing: true)
        region = storage?.nextRegion()
        written = 0
        handedOff = 0
        if region == nil, buffer.capacity < reservedBytes { buffer.reserveCapacity(reservedBytes) }
    }

    private func handOff(sealing: Bool) {
        if let region {
            guard pending > 0 || sealing else { return }
            let bytes = [UInt8](UnsafeRawBufferPointer(start: region.start + handedOff, count: written - handedOff))
            let position = ClickBatch.JournalPosition(segment: region.segment, end: written, sealsSegment: sealing)
            let batch = ClickBatch(bytes: bytes, count: pending, journal: position)
            handedOff = written
            pending = 0
            sink.submit(batch)
            return
        }
        guard pending > 0 else { return }
        let batch = ClickBatch(bytes: buffer, count: pending)
        buffer = []
        buffer.reserveCapacity(reservedBytes)
        pending = 0
        sink.submit(batch)
    }
}
