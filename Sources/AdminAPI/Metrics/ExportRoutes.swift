import Hummingbird
import LibPQ
import NIOCore
import ShortLinkCore
import Storage

/// `GET /api/v1/exports/clicks.csv` and `GET /api/v1/exports/summary.csv`: CSV streamed
/// from `COPY … TO STDOUT` in 256 KiB chunks, read from Postgres only as fast as the client
/// takes them (flat memory at any size).
///
/// Filters: `link` (id or short code), `campaign` (id), `client` (id or name), `tag` (id or
/// name), `from`, `to` (RFC 3339 or a date), `includeBots` (default false). A filter that
/// names nothing is a 404. Headers go out before the rows, so a failure half-way ends the
/// response without its final chunk: a client sees a truncated transfer, never a short file
/// that looks complete.
struct ExportRoutes {
    let api: AdminAPI

    static let known: Set<String> = ["link", "campaign", "client", "tag", "from", "to", "includeBots"]

    func register(on router: Router<AdminRequestContext>) {
        let resolver = ClickExportResolver(pool: api.pool)
        let pool = api.pool

        @Sendable func filter(_ request: Request) async throws -> ClickExportFilter {
            var query = QueryReader(RouteSupport.query(request), known: Self.known)
            var result = ClickExportFilter(from: query.time("from"), to: query.time("to"))
            if let from = result.from, let to = result.to, from >= to { query.fail("from", "range", "must be before to") }
            result.includeBots = query.bool("includeBots") ?? false
            _ = query.id("campaign")  // campaigns are named by id only: a malformed one is a 400
            try query.finish()
            let values = query.values
            do {
                try await resolver.resolve(
                    link: values["link"], campaign: values["campaign"], client: values["client"], tag: values["tag"],
                    into: &result)
            } catch let unknown as ClickExportResolver.Unknown {
                throw APIError.notFound(unknown.what)
            }
            return result
        }

        @Sendable func csv(
            _ statement: String, name: String, header: [UInt8]? = nil,
            rows: (@Sendable (UnsafeRawBufferPointer, inout [UInt8]) -> Void)? = nil
        ) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            headers[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                if let header { try await writer.write(ByteBuffer(bytes: header)) }
                for try await chunk in pool.copyOut(statement, chunkSize: 256 * 1024, rows: rows) {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }

        router.get("/api/v1/exports/clicks.csv") { request, _ in
            let filter = try await filter(request)
            let codes = try await resolver.shortCodes(filter)
            return csv(
                ClickExport.clicksStatement(filter), name: "clicks.csv", header: ClickExport.ShortCodes.header,
                rows: { row, output in codes.insert(row, into: &output) })
        }
        router.get("/api/v1/exports/summary.csv") { request, _ in
            csv(ClickExport.summaryStatement(try await filter(request)), name: "summary.csv")
        }
    }
}
