import ShortLinkCore

extension ClickRecord {
    /// Appends `event` the way the edge does, lending its header strings as raw buffers.
    ///
    /// The UTF-8 of every present header is copied into one array and `append` runs inside that
    /// array's `withUnsafeBytes`, so each lent buffer is valid for the whole call and never
    /// escapes it. Absent headers stay `nil`; empty ones become empty (non-nil) buffers.
    static func append(_ event: ClickEvent, to buffer: inout [UInt8]) {
        let values = [
            event.userAgent, event.referer, event.acceptLanguage, event.secPurpose,
            event.purpose, event.xPurpose, event.xMoz,
        ]
        var storage: [UInt8] = []
        var ranges: [Range<Int>?] = []
        for value in values {
            guard let value else {
                ranges.append(nil)
                continue
            }
            let start = storage.count
            storage.append(contentsOf: value.utf8)
            ranges.append(start..<storage.count)
        }
        storage.withUnsafeBytes { raw in
            func lend(_ index: Int) -> UnsafeRawBufferPointer? {
                ranges[index].map { UnsafeRawBufferPointer(rebasing: raw[$0]) }
            }
            var fields = Fields()
            fields.userAgent = lend(0)
            fields.referer = lend(1)
            fields.acceptLanguage = lend(2)
            fields.secPurpose = lend(3)
            fields.purpose = lend(4)
            fields.xPurpose = lend(5)
            fields.xMoz = lend(6)
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
