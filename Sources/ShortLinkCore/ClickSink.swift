/// Click records captured by one event loop, handed off together.
public struct ClickBatch: Sendable {
    /// Records in ``ClickRecord`` format, back to back.
    public var bytes: [UInt8]
    /// How many records `bytes` holds.
    public var count: Int
    /// Where these records also lie in a journal segment, when the loop captured into one.
    public var journal: JournalPosition?

    /// The place of a batch's records in a journal segment.
    public struct JournalPosition: Sendable, Hashable {
        /// The segment number (``CaptureRegion/segment``).
        public var segment: UInt64
        /// Offset from the region's start just past this batch's last record.
        public var end: Int
        /// `true` when the loop will write nothing more into this segment.
        public var sealsSegment: Bool

        /// Creates a position.
        public init(segment: UInt64, end: Int, sealsSegment: Bool) {
            self.segment = segment
            self.end = end
            self.sealsSegment = sealsSegment
        }
    }

    /// Creates a batch.
    /// - Parameters:
    ///   - bytes: encoded records.
    ///   - count: the number of records.
    ///   - journal: where the records also lie in a journal segment; default none.
    public init(bytes: [UInt8], count: Int, journal: JournalPosition? = nil) {
        self.bytes = bytes
        self.count = count
        self.journal = journal
    }

    /// The decoded events.
    /// - Throws: ``ClickRecordError`` when the bytes are malformed.
    public func events() throws(ClickRecordError) -> [ClickEvent] {
        try ClickRecord.decode(bytes).events
    }
}

/// Where the edge hands captured clicks.
///
/// `submit` is called on an event loop, at most every few tens of milliseconds per loop,
/// so it must return at once: queue the batch and do the work elsewhere.
public protocol ClickSink: Sendable {
    /// Takes ownership of a batch. Must not block.
    /// - Parameter batch: records from one event loop.
    func submit(_ batch: ClickBatch)

    /// Journal memory the edge captures into, so clicks survive a crash; `nil` (the
    /// default) keeps captured records in ordinary memory until `submit`.
    var captureStorage: (any CaptureStorage)? { get }
}

extension ClickSink {
    /// No journal: captured records stay in ordinary memory until handed off.
    public var captureStorage: (any CaptureStorage)? { nil }
}
