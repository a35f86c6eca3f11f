/// The parts of a lowercased user agent where vendors put device names: the Android device
/// segment (`Android 9; CUBOT X20 Build/…)`), the parenthesised group after `HbbTV/` and
/// the value of a `Model/` token. Device names are free text (`M bot 51`, `TEST`), so
/// keyword rules must not read them.
enum DeviceSegments {
    private static let android = Array("android".utf8)
    private static let hbbtv = Array("hbbtv/".utf8)
    private static let model = Array("model/".utf8)

    /// The device-description ranges of `text`.
    /// - Parameter text: the lowercased user agent.
    static func ranges(in text: UnsafeBufferPointer<UInt8>) -> MaskedRanges {
        var ranges = MaskedRanges()
        if let start = ByteSearch.find(android, in: text) {
            var index = start + android.count
            while index < text.count, text[index] != UInt8(ascii: ";"), text[index] != UInt8(ascii: ")") { index += 1 }
            if index < text.count, text[index] == UInt8(ascii: ";") {
                let segmentStart = index + 1
                var end = segmentStart
                while end < text.count, text[end] != UInt8(ascii: ")") { end += 1 }
                ranges.insert(segmentStart..<end)
            }
        }
        if let start = ByteSearch.find(hbbtv, in: text),
            let open = ByteSearch.find([UInt8(ascii: "(")], in: text, from: start)
        {
            var depth = 0
            var end = open
            while end < text.count {
                if text[end] == UInt8(ascii: "(") { depth += 1 }
                if text[end] == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            ranges.insert(open..<end)
        }
        if let start = ByteSearch.find(model, in: text) {
            var end = start
            while end < text.count, text[end] != UInt8(ascii: " ") { end += 1 }
            ranges.insert(start..<end)
        }
        return ranges
    }
}
