/// Makes a value from outside (a tag, a path, a database message that echoes a row) safe to
/// put in a log line: one line, printable, bounded.
///
/// A log reader must be able to trust that a line starting with `[ERROR]` was written by the
/// service, so nothing from a request may start a new line or move the cursor. Escaped are
/// the C0 controls (`\n`, `\r`, `\t` by name, the rest as `\u{XX}`), DEL, the C1 controls,
/// the Unicode line and paragraph separators, the bidirectional overrides and isolates (they
/// reorder what a terminal shows), `"` and `\` (so a quoted value cannot close its quotes).
/// Longer values are cut at `limit` characters and end in `…(N more)`.
public enum LogSafe {
    /// The default number of characters kept: enough for an error message, not a body.
    public static let defaultLimit = 512

    /// The escaped, truncated text of a value.
    /// - Parameters:
    ///   - value: anything; its `String(describing:)` is escaped.
    ///   - limit: characters kept before truncation; default ``defaultLimit``.
    public static func escape(_ value: some Any, limit: Int = defaultLimit) -> String {
        let text = value as? String ?? String(describing: value)
        var out = ""
        out.reserveCapacity(min(text.utf8.count, limit) + 8)
        var kept = 0
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard kept < limit else {
                var rest = 1
                while scalars.next() != nil { rest += 1 }
                out += "…(\(rest) more)"
                break
            }
            kept += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where needsEscape(scalar):
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a scalar is not shown as itself.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0xFEFF: true
        default: false
        }
    }
}

extension String {
    /// This text escaped for a log line (see ``LogSafe``), at most 512 characters.
    public var escapedForLog: String { LogSafe.escape(self) }
}
