/// Reads the Android part of a lowercased user agent: the device model
/// (`Linux; Android 13; SM-A536B Build/TP1A…` → `sm-a536b`), the major version, and the
/// build-id and screen-size conventions of Android TV devices.
enum AndroidModel {
    private static let android = Array("android".utf8)
    private static let androidZero = Array("andr0id".utf8)
    private static let build = Array("build/".utf8)
    private static let buildSuffix = Array(" build/".utf8)
    private static let skippedParts: Set<[UInt8]> = [Array("u".utf8), Array("wv".utf8), Array("mobile".utf8), Array("tablet".utf8)]

    /// The device model of the Android segment, or empty when there is none.
    /// - Parameter text: the lowercased user agent.
    static func name(in text: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let start = ByteSearch.find(android, in: text) ?? ByteSearch.find(androidZero, in: text) else { return [] }
        var index = start
        while index < text.count, text[index] != UInt8(ascii: ";"), text[index] != UInt8(ascii: ")") { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: ";") else { return [] }
        var end = index
        while end < text.count, text[end] != UInt8(ascii: ")") { end += 1 }
        var partStart = index + 1
        while partStart <= end {
            var partEnd = partStart
            while partEnd < end, text[partEnd] != UInt8(ascii: ";") { partEnd += 1 }
            let part = trimmed(Array(text[partStart..<partEnd]))
            partStart = partEnd + 1
            if part.isEmpty || isLocale(part) || skippedParts.contains(part) { continue }
            if part == [UInt8(ascii: "k")] { return part }
            if part.starts(with: Array("arm".utf8)) || part.starts(with: Array("x86".utf8)) { continue }
            if let buildAt = part.withUnsafeBufferPointer({ ByteSearch.find(buildSuffix, in: $0) }) {
                return trimmed(Array(part[..<buildAt]))
            }
            if part.starts(with: build) { continue }
            return part
        }
        return []
    }

    /// The major Android version (`android 9`, `android/4.4` → 9, 4), if written.
    /// - Parameter text: the lowercased user agent.
    static func majorVersion(in text: UnsafeBufferPointer<UInt8>) -> Int? {
        var from = 0
        while let start = ByteSearch.find(android, in: text, from: from) {
            var index = start + android.count
            if index < text.count, text[index] == UInt8(ascii: " ") || text[index] == UInt8(ascii: "/") { index += 1 }
            var value = 0
            var digits = 0
            while index < text.count, ASCII.isDigit(text[index]), digits < 4 {
                value = value * 10 + Int(text[index] - 48)
                digits += 1
                index += 1
            }
            if digits > 0 { return value }
            from = start + 1
        }
        return nil
    }

    /// Whether a build id has Android TV's shape: a letter, `t`, a letter, a letter or digit,
    /// then a dot (`build/ptt1.…`, `build/qtg3.…`, `build/sttc.…`).
    /// - Parameter text: the lowercased user agent.
    static func hasTelevisionBuild(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { byte &- 97 < 26 }
        var from = 0
        while let start = ByteSearch.find(build, in: text, from: from) {
            from = start + 1
            let id = start + build.count
            guard id + 4 < text.count else { continue }
            if isLetter(text[id]), text[id + 1] == UInt8(ascii: "t"), isLetter(text[id + 2]), ASCII.isAlphanumeric(text[id + 3]),
                text[id + 4] == UInt8(ascii: ".")
            {
                return true
            }
        }
        return false
    }

    /// Whether the model starts with a screen size in inches then a letter (`43lf7010t`,
    /// `50ux10s`): how television panels are named.
    /// - Parameter model: the lowercased model.
    static func startsWithScreenSize(_ model: [UInt8]) -> Bool {
        guard model.count >= 3, ASCII.isDigit(model[0]), ASCII.isDigit(model[1]), model[2] &- 97 < 26 else { return false }
        let inches = Int(model[0] - 48) * 10 + Int(model[1] - 48)
        return inches >= 22
    }

    private static func isLocale(_ part: [UInt8]) -> Bool {
        // xx, xx-yy, xx_yyyy, xx-yyyy-zz (letters only)
        func isLetter(_ byte: UInt8) -> Bool { byte &- 97 < 26 }
        guard part.count >= 2, isLetter(part[0]), isLetter(part[1]) else { return false }
        var index = 2
        var groups = 0
        while index < part.count {
            guard part[index] == UInt8(ascii: "-") || part[index] == UInt8(ascii: "_"), groups < 2 else { return false }
            index += 1
            var letters = 0
            while index < part.count, isLetter(part[index]) {
                letters += 1
                index += 1
            }
            guard letters >= 2, letters <= 4 else { return false }
            groups += 1
        }
        return true
    }

    private static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var start = 0
        var end = bytes.count
        while start < end, ASCII.isSpace(bytes[start]) { start += 1 }
        while end > start, ASCII.isSpace(bytes[end - 1]) { end -= 1 }
        return Array(bytes[start..<end])
    }
}
