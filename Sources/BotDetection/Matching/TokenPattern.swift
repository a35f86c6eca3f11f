/// A pattern of ``BotRules`` parsed into its lowercase body and anchors.
///
/// Syntax: optional leading `^` (at the start of the text), `<` (not preceded by a letter
/// or digit) or `~` (preceded by a letter or digit); the body; optional trailing `>` (not
/// followed by a letter, digit or `.`) or `$` (at the end of the text).
struct TokenPattern: Hashable, Sendable {
    /// Where the body may start.
    enum Leading: UInt8, Sendable {
        case anywhere, textStart, wordStart, insideWord
    }

    /// Where the body may end.
    enum Trailing: UInt8, Sendable {
        case anywhere, textEnd, wordEnd
    }

    /// The lowercased bytes to find.
    let body: [UInt8]
    let leading: Leading
    let trailing: Trailing

    /// Parses a pattern; the body is lowercased (ASCII).
    /// - Parameter text: the pattern as written in the rules.
    init(_ text: String) {
        var bytes = Array(text.utf8)
        var leading = Leading.anywhere
        var trailing = Trailing.anywhere
        if bytes.count > 1 {
            switch bytes[0] {
            case UInt8(ascii: "^"): leading = .textStart
            case UInt8(ascii: "<"): leading = .wordStart
            case UInt8(ascii: "~"): leading = .insideWord
            default: break
            }
            if leading != .anywhere { bytes.removeFirst() }
        }
        if bytes.count > 1 {
            switch bytes[bytes.count - 1] {
            case UInt8(ascii: ">"): trailing = .wordEnd
            case UInt8(ascii: "$"): trailing = .textEnd
            default: break
            }
            if trailing != .anywhere { bytes.removeLast() }
        }
        self.body = bytes.map(ASCII.lowercased)
        self.leading = leading
        self.trailing = trailing
    }

    /// Whether the anchors hold for a body found at `start` in `text`.
    /// - Parameters:
    ///   - text: the lowercased text.
    ///   - start: where the body starts.
    func anchorsHold(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        switch leading {
        case .anywhere: break
        case .textStart: if start != 0 { return false }
        case .wordStart: if start > 0, ASCII.isAlphanumeric(text[start - 1]) { return false }
        case .insideWord: if start == 0 || !ASCII.isAlphanumeric(text[start - 1]) { return false }
        }
        let end = start + body.count
        switch trailing {
        case .anywhere: return true
        case .textEnd: return end == text.count
        case .wordEnd: return end == text.count || !(ASCII.isAlphanumeric(text[end]) || text[end] == UInt8(ascii: "."))
        }
    }
}

extension TokenPattern {
    /// Whether the pattern occurs anywhere in `text` with its anchors holding (a plain scan,
    /// for short texts such as a device model).
    /// - Parameter text: lowercased text.
    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !body.isEmpty, body.count <= text.count else { return false }
        var start = 0
        while let found = ByteSearch.find(body, in: text, from: start) {
            if anchorsHold(in: text, at: found) { return true }
            start = found + 1
        }
        return false
    }
}
