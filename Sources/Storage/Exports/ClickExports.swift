public import LibPQ

/// The CSV reports (``ClickExport``) as streams: the filter's names resolved first, then
/// the rows of a `COPY … TO STDOUT`, read only as fast as the consumer takes them.
public struct ClickExports: Sendable {
    let pool: PGPool

    /// Bytes per chunk of a stream (whole lines, about this many).
    static let chunkSize = 256 * 1024

    /// Creates the reader.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

    /// Turns the names a request or command line gives into the filter's ids.
    public var resolver: ClickExportResolver { ClickExportResolver(pool: pool) }

    /// One row per click (``ClickExport/clicksStatement(_:raw:)``), the header line first;
    /// the short codes of the filter's links are read before this returns, so a failure
    /// there is thrown here, before any byte of the report.
    /// - Parameters:
    ///   - filter: which clicks.
    ///   - raw: leave cells that start like a formula as they are (default false).
    public func clicks(_ filter: ClickExportFilter, raw: Bool = false) async throws -> ClickExportStream {
        let codes = try await resolver.shortCodes(filter, raw: raw)
        let rows = pool.copyOut(ClickExport.clicksStatement(filter, raw: raw), chunkSize: Self.chunkSize) { row, output in
            codes.insert(row, into: &output)
        }
        return ClickExportStream(header: ClickExport.ShortCodes.header, rows: rows)
    }

    /// One row per link and day (``ClickExport/summaryStatement(_:raw:)``), with its header.
    /// - Parameters:
    ///   - filter: which clicks.
    ///   - raw: leave cells that start like a formula as they are (default false).
    public func summary(_ filter: ClickExportFilter, raw: Bool = false) -> ClickExportStream {
        ClickExportStream(header: nil, rows: pool.copyOut(ClickExport.summaryStatement(filter, raw: raw), chunkSize: Self.chunkSize))
    }
}

/// A CSV report's bytes in chunks of whole lines: the header (when the statement does not
/// write its own), then the rows. Ending the iteration early cancels the statement; a
/// failure part-way is a ``StorageError``.
public struct ClickExportStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let header: [UInt8]?
    let rows: PGCopyOutStream

    public func makeAsyncIterator() -> Iterator {
        Iterator(header: header, rows: rows.makeAsyncIterator())
    }

    /// Iterates the chunks.
    public struct Iterator: AsyncIteratorProtocol {
        var header: [UInt8]?
        var rows: PGCopyOutStream.Iterator

        public mutating func next() async throws -> [UInt8]? {
            if let header {
                self.header = nil
                return header
            }
            do {
                return try await rows.next()
            } catch {
                throw StorageError.translate(error)
            }
        }
    }
}
