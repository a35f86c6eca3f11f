/// Parses the durations the command line takes: `5s`, `500ms`, `1.5s`, `2m`, `250us`.
public enum DurationText {
    /// The duration in nanoseconds, or `nil` when `text` is not a positive number followed by
    /// one of the units `us`, `ms`, `s`, `m` (a bare number means seconds).
    /// - Parameter text: what the user typed.
    public static func nanoseconds(_ text: String) -> UInt64? {
        let units: [(String, Double)] = [("us", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9)]
        var number = Substring(text)
        var scale = 1e9
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            number = text.dropLast(suffix.count)
            scale = factor
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number), value >= 0, value * scale < 1e15
        else { return nil }
        return UInt64(value * scale)
    }
}
