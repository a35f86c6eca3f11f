/// Plain substring search over bytes, for the few fixed markers the classifier and the
/// parser look for by position.
enum ByteSearch {
    /// The first index at or after `from` where `needle` occurs in `text`.
    /// - Parameters:
    ///   - needle: the bytes to find (non-empty).
    ///   - text: the text.
    ///   - from: where to start looking; default 0.
    static func find(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let count = needle.count
        guard count > 0, text.count >= count, from <= text.count - count else { return nil }
        let first = needle[0]
        var index = max(0, from)
        let last = text.count - count
        while index <= last {
            if text[index] == first {
                var offset = 1
                while offset < count, text[index + offset] == needle[offset] { offset += 1 }
                if offset == count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Whether `prefix` occurs in `text` at `index`.
    /// - Parameters:
    ///   - prefix: the bytes to compare.
    ///   - text: the text.
    ///   - index: where `prefix` should start.
    static func hasPrefix(_ prefix: [UInt8], in text: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index >= 0, index + prefix.count <= text.count else { return false }
        for offset in 0..<prefix.count where text[index + offset] != prefix[offset] { return false }
        return true
    }
}
