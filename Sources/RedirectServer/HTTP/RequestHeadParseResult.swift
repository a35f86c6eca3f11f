/// The outcome of ``RequestHeadParser/parse(_:limits:)``.
enum RequestHeadParseResult: Hashable, Sendable {
    /// A whole, valid head was found at the start of the buffer.
    case complete(RequestHead)
    /// Need more bytes; everything so far is within limits and not yet invalid.
    case incomplete
    /// The bytes so far already prove the request unacceptable.
    case invalid(RequestHeadError)
}
