/// Memory that outlives the process (a shared mapping of a journal file) which one event
/// loop appends ``ClickRecord``s into, so a click whose redirect was answered survives a
/// crash of the process.
///
/// The region starts zero-filled; records go back to back from ``start``, each committed by
/// its length word, which is written last. A zero length word marks the end.
public struct CaptureRegion: @unchecked Sendable {
    /// The journal segment this region belongs to (unique within the storage).
    public var segment: UInt64
    /// The first byte records may go to.
    public var start: UnsafeMutableRawPointer
    /// How many bytes records may take.
    public var capacity: Int

    /// Creates a region description.
    /// - Parameters:
    ///   - segment: the owning segment's number.
    ///   - start: first writable byte.
    ///   - capacity: writable bytes.
    public init(segment: UInt64, start: UnsafeMutableRawPointer, capacity: Int) {
        self.segment = segment
        self.start = start
        self.capacity = capacity
    }
}

/// Hands out ``CaptureRegion``s to event loops.
public protocol CaptureStorage: Sendable {
    /// A fresh region, without blocking and without a syscall on the caller's thread;
    /// `nil` when none is ready (the capture then keeps records in ordinary memory).
    func nextRegion() -> CaptureRegion?
}
