/// Up to three ranges of a text where keyword-like patterns must not start: the parts of a
/// user agent that describe the device (see ``DeviceSegments``). Fixed storage, no allocation.
struct MaskedRanges: Sendable {
    private var first: Range<Int> = 0..<0
    private var second: Range<Int> = 0..<0
    private var third: Range<Int> = 0..<0

    /// No masked text.
    static let none = MaskedRanges()

    /// Adds a range; beyond three, the range is dropped.
    /// - Parameter range: text positions to mask.
    mutating func insert(_ range: Range<Int>) {
        if first.isEmpty { first = range } else if second.isEmpty { second = range } else if third.isEmpty { third = range }
    }

    /// Whether `position` lies in a masked range.
    /// - Parameter position: a text position.
    @inline(__always)
    func contains(_ position: Int) -> Bool {
        first.contains(position) || second.contains(position) || third.contains(position)
    }
}
