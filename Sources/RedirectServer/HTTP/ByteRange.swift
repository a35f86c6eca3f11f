/// Offsets of a slice of the parsed bytes (relative to the start of the buffer passed to parse).
struct ByteRange: Hashable, Sendable {
    /// Offset of the first byte.
    var start: Int

    /// Number of bytes; may be zero (an empty header value, an empty query, a missing absolute-form path).
    var count: Int

    /// Offset just past the last byte.
    var end: Int { start + count }
}

extension UnsafeRawBufferPointer {
    /// The bytes covered by `range`, rebased so that the result starts at index 0.
    ///
    /// `range` must lie within this buffer (checked in debug builds only, like any buffer slice).
    subscript(range: ByteRange) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: self[range.start..<range.end])
    }
}
