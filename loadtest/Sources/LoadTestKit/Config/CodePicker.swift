import Foundation

/// How requests choose among K links: every link equally often, or Zipf (rank r is chosen
/// with probability proportional to 1/r^s), as real short links are: a few very hot, a long tail.
public enum Distribution: String, Sendable, CaseIterable, Codable {
    case uniform, zipf
}

/// Draws indices in `0..<count` from a ``Distribution``. Zipf uses a precomputed cumulative
/// table and a binary search: a few nanoseconds per draw, no allocation.
public struct CodePicker: Sendable {
    /// How many indices there are.
    public let count: Int
    private let cumulative: [Double]

    /// - Parameters:
    ///   - count: number of indices (> 0).
    ///   - distribution: uniform or Zipf.
    ///   - exponent: the Zipf exponent `s` (default 1.0).
    public init(count: Int, distribution: Distribution, exponent: Double = 1.0) {
        precondition(count > 0)
        self.count = count
        guard distribution == .zipf else {
            cumulative = []
            return
        }
        var table = [Double](repeating: 0, count: count)
        var sum = 0.0
        for rank in 0..<count {
            sum += 1.0 / pow(Double(rank + 1), exponent)
            table[rank] = sum
        }
        for rank in 0..<count { table[rank] /= sum }
        cumulative = table
    }

    /// The next index.
    public func pick(_ random: inout SplitMix64) -> Int {
        if cumulative.isEmpty { return Int(random.next() % UInt64(count)) }
        let u = random.unit()
        var low = 0
        var high = count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < u { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
