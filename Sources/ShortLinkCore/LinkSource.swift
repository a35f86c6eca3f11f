/// Where the edge's link cache reads links from, and learns that they changed.
///
/// Storage implements it over Postgres (COPY for the preload, `LISTEN link_changed`
/// for changes); tests may implement it in memory. The edge never sees SQL.
public protocol LinkSource: Sendable {
    /// Streams every link, in chunks, without holding the whole result in memory.
    /// - Parameter consume: called with each chunk in order; throwing stops the stream.
    func loadAll(_ consume: ([LinkTarget]) throws -> Void) async throws

    /// The current state of some codes; codes that do not exist are absent from the result.
    /// - Parameter codes: the codes to look up.
    func load(codes: [String]) async throws -> [LinkTarget]

    /// Change events, until the stream's consumer stops iterating.
    ///
    /// The stream yields ``LinkChangeEvent/listening`` whenever it (re)starts listening;
    /// changes made while it was not listening are lost, so the consumer resyncs fully.
    func changes() -> AsyncStream<LinkChangeEvent>
}

/// One event from ``LinkSource/changes()``.
public enum LinkChangeEvent: Sendable, Hashable {
    /// The feed is (again) listening; anything before this may have been missed.
    case listening
    /// A link with this code was inserted, updated or deleted.
    case changed(code: String)
}
