/// Seeded property tests across the suite share this generator, so a failing seed
/// reproduces the same inputs everywhere.
/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and deterministic across platforms.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Creates a generator.
    /// - Parameter seed: the whole state; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`, using only `next()` so runs do not depend on stdlib algorithms.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool { int(in: 0...99) < percent }

    /// A uniformly chosen element.
    public mutating func pick<T>(_ elements: [T]) -> T { elements[int(in: 0...(elements.count - 1))] }

    /// `count` elements of `alphabet`, chosen independently.
    public mutating func string(from alphabet: [UInt8], count: Int) -> [UInt8] {
        (0..<count).map { _ in pick(alphabet) }
    }
}
