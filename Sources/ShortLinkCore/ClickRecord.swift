import Synchronization

/// The compact binary form of a ``ClickEvent``, written on the event loop without
/// allocating and decoded later by the pipeline.
///
/// Layout (integers little-endian):
/// ```
/// u32 total length (this field included)
/// u8  format version (1)   u8 method   u8 flags (bit 0: has client IP)   u8 reserved
/// 16  event id   16  link id   i64 timestamp (µs since epoch)   16  client IP
/// 7 × (u16 length, bytes): the ``CapturedHeader`` values in that order (User-Agent,
///     Referer, Accept-Language, Sec-Purpose, Purpose, X-Purpose, X-Moz); length 0xFFFF
///     means the header was absent.
/// ```
/// Each header value is cut to ``maximumFieldLength`` bytes. A length word of zero ends a
/// sequence of records (journal segments are zero-filled, and a record's length is written
/// last, so a record cut short by a crash reads as the end).
public enum ClickRecord {
    /// The format version written by this build.
    public static let version: UInt8 = 1
    /// The longest header value kept, in bytes.
    public static let maximumFieldLength = 2_048
    /// Bytes before the variable fields.
    public static let fixedLength = 4 + 4 + 16 + 16 + 8 + 16
    /// Number of header fields.
    public static let fieldCount = CapturedHeader.count
    /// The length written for an absent header.
    public static let absentFieldMarker: UInt16 = 0xFFFF

    /// The header values of one request, as raw bytes borrowed from the request buffer
    /// (``CapturedHeader`` order; `nil` when absent).
    public typealias Fields = CapturedHeaders<UnsafeRawBufferPointer>

    /// Appends one record to an ordinary buffer (when no journal memory is ready), with the
    /// same encoder as ``write(to:id:linkID:timestamp:clientIP:method:fields:)``.
    /// - Parameters:
    ///   - buffer: the capture buffer; grows only when its reserved capacity is exhausted.
    ///   - id: the event id (UUIDv7).
    ///   - linkID: the link that answered.
    ///   - timestamp: when.
    ///   - clientIP: the client address, if known.
    ///   - method: GET or HEAD.
    ///   - fields: header values borrowed from the request.
    @inlinable
    public static func append(
        to buffer: inout [UInt8], id: EntityID, linkID: EntityID, timestamp: Timestamp,
        clientIP: IPAddress?, method: ClickEvent.Method, fields: Fields
    ) {
        let start = buffer.count
        let length = encodedLength(fields)
        buffer.append(contentsOf: repeatElement(0, count: length))
        buffer.withUnsafeMutableBytes { raw in
            _ = write(
                to: raw.baseAddress! + start, id: id, linkID: linkID, timestamp: timestamp, clientIP: clientIP,
                method: method, fields: fields)
        }
    }

    /// The bytes one record with these fields takes.
    /// - Parameter fields: the header values.
    @inlinable
    public static func encodedLength(_ fields: Fields) -> Int {
        @inline(__always) func size(_ field: UnsafeRawBufferPointer?) -> Int {
            2 + min(field?.count ?? 0, maximumFieldLength)
        }
        var length = fixedLength
        fields.forEach { length += size($0) }
        return length
    }

    /// Writes one record into raw (journal) memory, its length word last, so that a reader
    /// of the same memory after a crash sees either the whole record or none of it.
    /// - Parameters:
    ///   - base: where the record starts; ``encodedLength(_:)`` bytes must be writable.
    ///   - id: the event id (UUIDv7).
    ///   - linkID: the link that answered.
    ///   - timestamp: when.
    ///   - clientIP: the client address, if known.
    ///   - method: GET or HEAD.
    ///   - fields: header values borrowed from the request.
    /// - Returns: the bytes written.
    @inlinable
    public static func write(
        to base: UnsafeMutableRawPointer, id: EntityID, linkID: EntityID, timestamp: Timestamp,
        clientIP: IPAddress?, method: ClickEvent.Method, fields: Fields
    ) -> Int {
        var cursor = base + 4
        @inline(__always) func put<T: FixedWidthInteger>(_ value: T) {
            cursor.storeBytes(of: value.littleEndian, toByteOffset: 0, as: T.self)
            cursor += MemoryLayout<T>.size
        }
        @inline(__always) func putField(_ field: UnsafeRawBufferPointer?) {
            guard let field else { return put(absentFieldMarker) }
            let count = min(field.count, maximumFieldLength)
            put(UInt16(count))
            if count > 0 { cursor.copyMemory(from: field.baseAddress!, byteCount: count) }
            cursor += count
        }
        put(version)
        put(method.rawValue)
        put(UInt8(clientIP == nil ? 0 : 1))
        put(UInt8(0))
        put(id.high.bigEndian)
        put(id.low.bigEndian)
        put(linkID.high.bigEndian)
        put(linkID.low.bigEndian)
        put(timestamp.microsecondsSinceEpoch)
        put((clientIP?.high ?? 0).bigEndian)
        put((clientIP?.low ?? 0).bigEndian)
        fields.forEach(putField)
        let length = base.distance(to: cursor)
        // The body must be in memory before the length that commits it; a compiler fence
        // is enough, since only a later reader of the same pages (after a crash) cares.
        commitFence()
        base.storeBytes(of: UInt32(length).littleEndian, as: UInt32.self)
        return length
    }

    /// A release fence behind an opaque call: the compiler may not move the body's stores
    /// past it.
    @usableFromInline @inline(never)
    static func commitFence() {
        atomicMemoryFence(ordering: .releasing)
    }

    /// Decodes every complete record in `bytes`.
    /// - Parameter bytes: records back to back, as ``append(to:id:linkID:timestamp:clientIP:method:fields:)`` wrote them.
    /// - Returns: the events, and how many bytes they took; a torn record at the end is left
    ///   unread (its bytes are not counted).
    /// - Throws: ``ClickRecordError`` when a record is malformed before the end.
    public static func decode(_ bytes: [UInt8]) throws(ClickRecordError) -> (events: [ClickEvent], consumed: Int) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(ClickRecordError) in try decode(raw) } }
        return try result.get()
    }

    /// Decodes every complete record in raw memory (e.g. a journal segment), stopping at a
    /// zero length word or a torn record.
    /// - Parameter bytes: records back to back.
    /// - Returns: the events, and how many bytes they took.
    /// - Throws: ``ClickRecordError`` when a record is malformed before the end.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(ClickRecordError) -> (events: [ClickEvent], consumed: Int) {
        var events: [ClickEvent] = []
        var offset = 0
        while bytes.count - offset >= 4 {
            let length = Int(readInteger(UInt32.self, bytes, offset))
            if length == 0 { break }
            guard length >= fixedLength + 2 * fieldCount, length <= fixedLength + fieldCount * (2 + maximumFieldLength)
            else { throw ClickRecordError(offset: offset, reason: "bad record length \(length)") }
            guard offset + length <= bytes.count else { break }
            events.append(try decodeOne(bytes, offset, length))
            offset += length
        }
        return (events, offset)
    }

    static func decodeOne(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ length: Int) throws(ClickRecordError) -> ClickEvent {
        guard bytes[start + 4] == version else {
            throw ClickRecordError(offset: start, reason: "unknown record version \(bytes[start + 4])")
        }
        guard let method = ClickEvent.Method(rawValue: bytes[start + 5]) else {
            throw ClickRecordError(offset: start, reason: "unknown method \(bytes[start + 5])")
        }
        let hasIP = bytes[start + 6] & 1 == 1
        var cursor = start + 8
        func u64() -> UInt64 {
            defer { cursor += 8 }
            return UInt64(bigEndian: readInteger(UInt64.self, bytes, cursor))
        }
        let id = EntityID(high: u64(), low: u64())
        let linkID = EntityID(high: u64(), low: u64())
        let micros = readInteger(Int64.self, bytes, cursor)
        cursor += 8
        let ip = IPAddress(high: u64(), low: u64())
        var headers = CapturedHeaders<String>()
        let end = start + length
        for header in CapturedHeader.allCases {
            guard cursor + 2 <= end else { throw ClickRecordError(offset: start, reason: "record ends inside a field") }
            let count = readInteger(UInt16.self, bytes, cursor)
            cursor += 2
            if count == absentFieldMarker { continue }
            guard cursor + Int(count) <= end else { throw ClickRecordError(offset: start, reason: "field overruns record") }
            headers[header] = String(decoding: bytes[cursor..<cursor + Int(count)], as: UTF8.self)
            cursor += Int(count)
        }
        guard cursor == end else { throw ClickRecordError(offset: start, reason: "trailing bytes in record") }
        return ClickEvent(
            id: id, linkID: linkID, timestamp: Timestamp(microsecondsSinceEpoch: micros),
            clientIP: hasIP ? ip : nil, method: method, headers: headers)
    }

    static func readInteger<T: FixedWidthInteger>(_: T.Type, _ bytes: UnsafeRawBufferPointer, _ offset: Int) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// A capture buffer that cannot be decoded.
public struct ClickRecordError: Error, Hashable, CustomStringConvertible {
    /// Byte offset of the bad record.
    public var offset: Int
    /// What is wrong with it.
    public var reason: String

    public var description: String { "malformed click record at byte \(offset): \(reason)" }
}
