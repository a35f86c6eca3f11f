/// A journal file could not be created, opened or read.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable {
        /// The spool directory cannot be created or written.
        case spoolUnavailable = "spool_unavailable"
        /// Another process holds the spool directory.
        case spoolInUse = "spool_in_use"
        /// A segment file could not be created (disk full, permissions).
        case segmentCreateFailed = "segment_create_failed"
        /// A leftover file is not a journal segment or is damaged.
        case invalidSegment = "invalid_segment"
    }

    /// What failed.
    public var code: Code
    /// The file or directory involved.
    public var path: String
    /// `errno` text or what is wrong with the file.
    public var reason: String

    /// Creates an error.
    public init(code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(path): \(reason)" }
}
