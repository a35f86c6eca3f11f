import ShortLinkCore

extension ClickRecord {
    /// Appends `event` the way the edge does, lending its header strings as raw buffers.
    ///
    /// The UTF-8 of every present header is copied into one array and `append` runs inside that
    /// array's `withUnsafeBytes`, so each lent buffer is valid for the whole call and never
    /// escapes it. Absent headers stay `nil`; empty ones become empty (non-nil) buffers.
    static func append(_ event: ClickEvent, to buffer: inout [UInt8]) {
        var storage: [UInt8] = []
        var ranges = CapturedHeaders<Range<Int>>()
        for header in CapturedHeader.allCases {
            guard let value = event.headers[header] else { continue }
            let start = storage.count
            storage.append(contentsOf: value.utf8)
            ranges[header] = start..<storage.count
        }
        storage.withUnsafeBytes { raw in
            let fields = ranges.map { UnsafeRawBufferPointer(rebasing: raw[$0]) }
            append(
                to: &buffer, id: event.id, linkID: event.linkID, timestamp: event.timestamp,
                clientIP: event.clientIP, method: event.method, fields: fields)
        }
    }

    /// The encoded bytes of `events`, back to back.
    static func encode(_ events: [ClickEvent]) -> [UInt8] {
        var buffer: [UInt8] = []
        for event in events { append(event, to: &buffer) }
        return buffer
    }
}
