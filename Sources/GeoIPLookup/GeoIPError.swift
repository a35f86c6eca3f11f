/// A GeoIP database that cannot be opened, reloaded or read.
///
/// ``description`` names the file and the cause and is safe to log: it never holds the
/// address that was being looked up.
public struct GeoIPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, stable enough to branch on.
    public enum Code: String, Sendable, Hashable {
        /// Nothing exists at the configured path.
        case fileNotFound
        /// The file exists but is not a MaxMind DB (mmdb) file, or is corrupt or truncated.
        case invalidDatabase
        /// The file could not be read (permissions, I/O error, out of memory).
        case ioError
        /// A lookup found a malformed record or search tree.
        case lookupFailed
    }

    /// The kind of failure.
    public var code: Code
    /// The database file concerned.
    public var path: String
    /// What went wrong, in words an operator can act on.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - path: the database file concerned.
    ///   - message: what went wrong.
    public init(code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `"<code>: <message>"`; the message names the path.
    public var description: String { "\(code.rawValue): \(message)" }
}
