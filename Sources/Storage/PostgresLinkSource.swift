public import LibPQ
public import Logging
public import ShortLinkCore

/// The edge's ``LinkSource`` over Postgres: a streamed `COPY` for the preload, one query
/// for a handful of codes, and `LISTEN link_changed` (fed by the `links_notify_changed`
/// trigger) for changes.
public struct PostgresLinkSource: LinkSource {
    /// The channel the `links_notify_changed` trigger notifies; the payload is a short code.
    public static let channel = "link_changed"

    let pool: PGPool
    let listenerURL: String
    let logger: Logger
    let chunkSize: Int

    /// Creates the source. Nothing connects until it is used.
    /// - Parameters:
    ///   - pool: for ``loadAll(_:)`` (one connection for the duration) and ``load(codes:)``.
    ///   - listenerURL: libpq URL of the database for the dedicated `LISTEN` connection
    ///     (a pooler in transaction mode would lose it, so it may differ from the pool's).
    ///   - logger: for listener events; never logs the URL.
    ///   - chunkSize: links per ``loadAll(_:)`` chunk; default 4,096 (at least 1).
    public init(pool: PGPool, listenerURL: String, logger: Logger, chunkSize: Int = 4_096) {
        self.pool = pool
        self.listenerURL = listenerURL
        self.logger = logger
        self.chunkSize = max(1, chunkSize)
    }

    /// Streams every link with one `COPY … TO STDOUT`, calling `consume` with chunks of
    /// `chunkSize` links (the last one may be smaller; never an empty chunk), in no
    /// particular order. Memory stays at about one chunk plus the stream's small byte
    /// buffer, whatever the table size.
    ///
    /// When `consume` throws or the task is cancelled, the `COPY` is cancelled, its
    /// connection goes back to the pool and the error is rethrown. A row that cannot be
    /// decoded (which the table's constraints rule out) stops the load with
    /// `PGError.decodingFailed` naming the row number and column.
    /// - Parameter consume: takes each chunk in turn.
    public func loadAll(_ consume: ([LinkTarget]) throws -> Void) async throws {
        var batch: [LinkTarget] = []
        batch.reserveCapacity(chunkSize)
        var row = 0
        for try await bytes in pool.copyOut(LinkTargetCopyRow.statement) {
            try Task.checkCancellation()
            try bytes.withUnsafeBytes { buffer in
                // Chunks hold whole lines, each ending in a newline; a newline inside a
                // value is escaped as `\n`, so every 0x0A ends a row.
                var start = 0
                while start < buffer.count {
                    let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
                    row += 1
                    batch.append(try LinkTargetCopyRow.parse(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), row: row))
                    if batch.count == chunkSize {
                        try consume(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    start = end + 1
                }
            }
        }
        if !batch.isEmpty { try consume(batch) }
    }

    /// The current state of `codes`, in no particular order; codes with no link (and
    /// strings that are not valid codes) are absent. One query, however many codes.
    /// - Parameter codes: the codes to look up; duplicates are answered once.
    public func load(codes: [String]) async throws -> [LinkTarget] {
        // Strings that are not codes cannot be in the table (links_short_code_format) and
        // might not even be valid text for the server (NUL bytes).
        let valid = codes.filter { ShortCode.isValid($0.utf8) }
        guard !valid.isEmpty else { return [] }
        return try await pool.query(
            """
            SELECT id, short_code, original_url, redirect_status, forward_query, expires_at
            FROM links WHERE short_code = ANY($1)
            """, [valid]
        ).map { row in
            LinkTarget(
                id: try row.id("id"), code: try row.decode("short_code"), url: try row.decode("original_url"),
                status: try row.redirectStatus("redirect_status"), forwardQuery: try row.decode("forward_query"),
                expiresAt: try row.optionalTime("expires_at"))
        }
    }

    /// Change events from a dedicated `LISTEN link_changed` connection: ``LinkChangeEvent/listening``
    /// each time `LISTEN` is (re-)established (after a lost connection, changes in between
    /// are unknown: resync), then ``LinkChangeEvent/changed(code:)`` per notification.
    /// Each call opens its own connection; it is closed shortly (within about 200 ms)
    /// after the consumer stops iterating or its task is cancelled.
    public func changes() -> AsyncStream<LinkChangeEvent> {
        let listener = PGListener(url: listenerURL, channels: [Self.channel], logger: logger)
        let logger = logger
        let (stream, continuation) = AsyncStream<LinkChangeEvent>.makeStream()
        let relay = Task {
            // Cancelling this task ends the iteration below, which stops the listener.
            for await event in listener.events() {
                switch event {
                case .listening:
                    continuation.yield(.listening)
                case .notification(let notification):
                    guard ShortCode.isValid(notification.payload.utf8) else {
                        logger.warning("ignored a link_changed notification whose payload is not a short code")
                        continue
                    }
                    continuation.yield(.changed(code: notification.payload))
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in relay.cancel() }
        return stream
    }
}
