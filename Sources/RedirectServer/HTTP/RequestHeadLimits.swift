/// Limits on what a client may send before the head is complete.
///
/// The parser enforces them while scanning, so an oversized head is rejected as soon as the limit is
/// crossed, even if the head is still incomplete. Values below zero behave like zero.
struct RequestHeadLimits: Sendable, Hashable {
    /// Maximum size of the request line, including its CRLF and any empty lines (CRLF) skipped before it.
    /// Exceeding it yields ``RequestHeadError/requestLineTooLong`` (414).
    var maxRequestLineBytes: Int = 8_192

    /// Maximum size of the header section after the request line, including the CRLF of the empty line
    /// that ends the head. Exceeding it yields ``RequestHeadError/headersTooLarge`` (431).
    var maxHeaderBytes: Int = 8_192

    /// Maximum number of header field lines. Exceeding it yields ``RequestHeadError/headersTooLarge`` (431).
    var maxHeaderCount: Int = 64

    /// Creates limits with the default values.
    init() {}

    /// Creates limits, using the default for every value not given.
    init(maxRequestLineBytes: Int = 8_192, maxHeaderBytes: Int = 8_192, maxHeaderCount: Int = 64) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
