/// Why a request head was rejected. Every case means: send the status and close the connection.
enum RequestHeadError: Error, Hashable, Sendable {
    /// The head violates the HTTP/1.x grammar or a rule this server enforces (400, then close).
    case malformed
    /// The request announces a body: `Content-Length` greater than 0, or any `Transfer-Encoding` (400, then close).
    case bodyNotAllowed
    /// The request line (with any leading empty lines) exceeds ``RequestHeadLimits/maxRequestLineBytes`` (414, then close).
    case requestLineTooLong
    /// The header section exceeds ``RequestHeadLimits/maxHeaderBytes`` or ``RequestHeadLimits/maxHeaderCount`` (431, then close).
    case headersTooLarge
}
