import ShortLinkCore

/// What a cache lookup returns: enough to answer and to record the click.
///
/// A borrowed view: `response` points into the slabs of the ``LinkTable`` it came from and is
/// valid only while that table is installed on the loop, i.e. until the handler callback that
/// looked it up returns (tables change only in tasks the cache enqueues on the loop, never
/// during a callback). The handler copies the bytes into its output before returning.
struct LinkEntry {
    /// The link's row key, carried by the click.
    var linkID: EntityID
    /// Microseconds since the epoch after which the link answers 410; `Int64.max` for never.
    var expiresAt: Int64
    /// The pre-encoded response (HTTP/1.1, keep-alive, no body), borrowed from the table.
    var response: UnsafeRawBufferPointer
    /// Where a forwarded query string is inserted into `response`.
    var insertAt: Int
    /// Whether the target already has a `?`.
    var targetHasQuery: Bool
    /// Whether the request's query string is appended to the target.
    var forwardQuery: Bool
}
