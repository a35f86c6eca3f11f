import Foundation

/// Extracts the last lines of a log file or of command output, for error messages.
enum LogTail {
    /// The number of lines error messages quote by default.
    static let defaultLineCount = 20

    /// The last `count` non-empty-trailing lines of `text`.
    static func lines(of text: String, count: Int = defaultLineCount) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.removeLast()
        }
        return lines.suffix(count).joined(separator: "\n")
    }

    /// The size of the file at `path` in bytes, or 0 when it cannot be read.
    static func size(ofFileAt path: String) -> UInt64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The last `count` lines of the file at `path`, reading from byte `offset` on
    /// (so a message quotes only what this run wrote), or `nil` when unreadable.
    static func lines(ofFileAt path: String, from offset: UInt64 = 0, count: Int = defaultLineCount) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let fileSize = (try? handle.seekToEnd()) ?? 0
        // Read at most the last 64 KiB: plenty for 20 lines, bounded for huge logs.
        let start = max(offset <= fileSize ? offset : 0, fileSize > 65_536 ? fileSize - 65_536 : 0)
        guard (try? handle.seek(toOffset: start)) != nil,
            let data = try? handle.readToEnd()
        else { return nil }
        return lines(of: String(decoding: data, as: UTF8.self), count: count)
    }

    /// `text` indented under a heading, or an empty string when `text` is empty.
    static func section(_ heading: String, _ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        let indented = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }
            .joined(separator: "\n")
        return "\n\(heading):\n\(indented)"
    }
}
