/// Finds many ``TokenPattern``s in one pass over a lowercased text.
///
/// Patterns are bucketed by the hash of their first two bytes (one-byte patterns by their
/// byte); the scan looks up the bucket at every position and compares only its candidates,
/// so the cost grows with the text, not with the number of patterns. No regular
/// expressions: a typical user agent is scanned in well under a microsecond.
struct PatternMatcher: Sendable {
    /// How a pattern takes part in the scan.
    enum Role: UInt8, Sendable {
        /// Reported wherever it matches.
        case plain
        /// Not reported when it starts inside a masked range or a neutral token.
        case maskable
        /// Reported, and masks the text it covers for ``maskable`` patterns.
        case neutral
    }

    private static let bucketCount = 4096

    private let patterns: [TokenPattern]
    private let roles: [Role]
    /// `pairStarts[b] ..< pairStarts[b + 1]` indexes `pairItems` for bucket `b`.
    private let pairStarts: [Int32]
    private let pairItems: [Int32]
    /// Per byte value, the one-byte patterns with that body.
    private let singleStarts: [Int32]
    private let singleItems: [Int32]

    /// Number of patterns; their indexes are `0..<count` in the order given.
    var count: Int { patterns.count }

    /// Builds the matcher. Empty patterns never match.
    /// - Parameter entries: the patterns and their roles; a pattern's index is its position here.
    init(_ entries: [(pattern: TokenPattern, role: Role)]) {
        patterns = entries.map(\.pattern)
        roles = entries.map(\.role)
        var pairBuckets = [[Int32]](repeating: [], count: Self.bucketCount)
        var singleBuckets = [[Int32]](repeating: [], count: 256)
        for (index, entry) in entries.enumerated() {
            let body = entry.pattern.body
            if body.count >= 2 {
                pairBuckets[Self.bucket(body[0], body[1])].append(Int32(index))
            } else if body.count == 1 {
                singleBuckets[Int(body[0])].append(Int32(index))
            }
        }
        // Neutral patterns first in each bucket, so they mask before others at the same position.
        let roles = self.roles
        func ordered(_ bucket: [Int32]) -> [Int32] {
            bucket.filter { roles[Int($0)] == .neutral } + bucket.filter { roles[Int($0)] != .neutral }
        }
        (pairStarts, pairItems) = Self.flatten(pairBuckets.map(ordered))
        (singleStarts, singleItems) = Self.flatten(singleBuckets.map(ordered))
    }

    /// Calls `body` with the pattern index for every match (a pattern matching at several
    /// positions is reported at each of them), left to right.
    /// - Parameters:
    ///   - text: the lowercased text.
    ///   - masked: where ``Role/maskable`` patterns must not start.
    ///   - body: receives the index of each matching pattern.
    func forEachMatch(
        in text: UnsafeBufferPointer<UInt8>, masked: MaskedRanges, _ body: (Int) -> Void
    ) {
        let length = text.count
        guard length > 0 else { return }
        var neutralEnd = 0
        patterns.withUnsafeBufferPointer { patterns in
            roles.withUnsafeBufferPointer { roles in
                pairStarts.withUnsafeBufferPointer { pairStarts in
                    pairItems.withUnsafeBufferPointer { pairItems in
                        singleStarts.withUnsafeBufferPointer { singleStarts in
                            singleItems.withUnsafeBufferPointer { singleItems in
                                for position in 0..<length {
                                    let byte = text[position]
                                    var lower = Int(singleStarts[Int(byte)])
                                    var upper = Int(singleStarts[Int(byte) + 1])
                                    while lower < upper {
                                        let index = Int(singleItems[lower])
                                        lower += 1
                                        check(index, at: position)
                                    }
                                    guard position + 1 < length else { break }
                                    let bucket = Self.bucket(byte, text[position + 1])
                                    lower = Int(pairStarts[bucket])
                                    upper = Int(pairStarts[bucket + 1])
                                    while lower < upper {
                                        let index = Int(pairItems[lower])
                                        lower += 1
                                        check(index, at: position)
                                    }
                                }

                                func check(_ index: Int, at position: Int) {
                                    let pattern = patterns[index]
                                    let patternBody = pattern.body
                                    let end = position + patternBody.count
                                    guard end <= length else { return }
                                    var offset = 0
                                    while offset < patternBody.count {
                                        if text[position + offset] != patternBody[offset] { return }
                                        offset += 1
                                    }
                                    guard pattern.anchorsHold(in: text, at: position) else { return }
                                    switch roles[index] {
                                    case .plain:
                                        break
                                    case .maskable:
                                        if position < neutralEnd || masked.contains(position) { return }
                                    case .neutral:
                                        neutralEnd = max(neutralEnd, end)
                                    }
                                    body(index)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func bucket(_ first: UInt8, _ second: UInt8) -> Int {
        (Int(first) &* 31 &+ Int(second) &* 7) & (bucketCount - 1)
    }

    private static func flatten(_ buckets: [[Int32]]) -> (starts: [Int32], items: [Int32]) {
        var starts: [Int32] = []
        starts.reserveCapacity(buckets.count + 1)
        var items: [Int32] = []
        for bucket in buckets {
            starts.append(Int32(items.count))
            items.append(contentsOf: bucket)
        }
        starts.append(Int32(items.count))
        return (starts, items)
    }
}
