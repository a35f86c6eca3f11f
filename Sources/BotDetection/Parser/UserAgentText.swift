/// One user agent prepared for the detectors: its lowercased bytes, which lexicon patterns
/// occur in it, and the device model named in its Android segment.
///
/// Only valid inside the closure that owns `bytes`.
struct UserAgentText {
    /// The lowercased user agent.
    let bytes: UnsafeBufferPointer<UInt8>
    /// One bit per lexicon pattern.
    private let found: [UInt64]
    /// The device model from the Android segment (`sm-g960f`), lowercased; empty when none.
    let model: [UInt8]

    /// Scans `bytes` once with the lexicon's matcher.
    /// - Parameters:
    ///   - bytes: the lowercased user agent.
    ///   - matcher: the lexicon's matcher.
    init(bytes: UnsafeBufferPointer<UInt8>, matcher: PatternMatcher) {
        self.bytes = bytes
        var found = [UInt64](repeating: 0, count: (matcher.count + 63) / 64)
        matcher.forEachMatch(in: bytes, masked: .none) { index in
            found[index >> 6] |= 1 << UInt64(index & 63)
        }
        self.found = found
        self.model = AndroidModel.name(in: bytes)
    }

    /// Whether any pattern of the group occurs in the user agent.
    /// - Parameter group: a lexicon group.
    func has(_ group: TokenGroup) -> Bool {
        for index in group.range where found[index >> 6] & (1 << UInt64(index & 63)) != 0 { return true }
        return false
    }

    /// Whether the device model contains one of the patterns (anchors apply to the model).
    /// - Parameter patterns: patterns in ``TokenPattern`` syntax, pre-parsed.
    func modelHas(_ patterns: [TokenPattern]) -> Bool {
        model.withUnsafeBufferPointer { model in patterns.contains { $0.occurs(in: model) } }
    }

    /// Whether the device model starts with one of the shapes (see ``ModelShape``).
    /// - Parameter shapes: the shapes.
    func modelStarts(with shapes: [ModelShape]) -> Bool {
        shapes.contains { $0.matchesPrefix(of: model) }
    }
}
