/// Click records captured by one event loop, handed off together.
public struct ClickBatch: Sendable {
    /// Records in ``ClickRecord`` format, back to back.
    public var bytes: [UInt8]
    /// How many records `bytes` holds.
    public var count: Int

    /// Creates a batch.
    /// - Parameters:
    ///   - bytes: encoded records.
    ///   - count: the number of records.
    public init(bytes: [UInt8], count: Int) {
        self.bytes = bytes
        self.count = count
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
}
