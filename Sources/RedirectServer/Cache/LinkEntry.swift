import NIOCore
import ShortLinkCore

/// What a cache lookup returns: enough to answer and to record the click.
struct LinkEntry: Sendable {
    /// The link's row key, carried by the click.
    var linkID: EntityID
    /// Microseconds since the epoch after which the link answers 410; `Int64.max` for never.
    var expiresAt: Int64
    /// The pre-encoded response (HTTP/1.1, keep-alive, no body).
    var response: ByteBuffer
    /// Where a forwarded query string is inserted into `response`.
    var insertAt: Int
    /// Whether the target already has a `?`.
    var targetHasQuery: Bool
    /// Whether the request's query string is appended to the target.
    var forwardQuery: Bool

    /// Encodes an entry on its own buffer (the update path; the bulk path shares slabs).
    init(target: LinkTarget) {
        let encoded = LinkResponseEncoder.encode(target)
        self.init(
            linkID: target.id, expiresAt: target.expiresAt?.microsecondsSinceEpoch ?? .max,
            response: ByteBuffer(bytes: encoded.bytes), insertAt: encoded.insertAt,
            targetHasQuery: encoded.targetHasQuery, forwardQuery: target.forwardQuery)
    }

    init(
        linkID: EntityID, expiresAt: Int64, response: ByteBuffer, insertAt: Int, targetHasQuery: Bool,
        forwardQuery: Bool
    ) {
        self.linkID = linkID
        self.expiresAt = expiresAt
        self.response = response
        self.insertAt = insertAt
        self.targetHasQuery = targetHasQuery
        self.forwardQuery = forwardQuery
    }
}
