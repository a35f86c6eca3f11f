import Hummingbird
import NIOCore
import ShortLinkCore
import Storage

/// `GET /api/v1/exports/clicks.csv` and `GET /api/v1/exports/summary.csv`: CSV streamed
/// from `COPY … TO STDOUT` in 256 KiB chunks, read from Postgres only as fast as the client
/// takes them (flat memory at any size).
///
/// Filters: `link` (id or short code), `campaign` (id or name), `client` (id or name), `tag`
/// (id or name), each repeatable: the values of one filter are OR'ed, different filters
/// AND'ed. `from`, `to` (RFC 3339 or a date; `to` defaults to now), `includeBots` (default
/// false) and `raw` (default false: cells that start like a formula get a `'`) may be given
/// once. A filter that names nothing is a 404. Headers go out before the rows, so a failure
/// half-way ends the response without its final chunk: a client sees a truncated transfer,
/// never a short file that looks complete.
struct ExportRoutes {
    let api: AdminAPI

    static let filters: Set<String> = ["link", "campaign", "client", "tag"]
    static let known: Set<String> = filters.union(["from", "to", "includeBots", "raw"])

    /// A checked export request: which rows, and whether formulas are left alone.
    struct Parameters {
        var filter: ClickExportFilter
        var raw: Bool
    }

    func register(on router: Router<AdminRequestContext>) {
        let exports = api.database.exports
        let resolver = exports.resolver

        @Sendable func parameters(_ request: Request) async throws -> Parameters {
            var query = QueryReader(RouteSupport.query(request), known: Self.known, repeatable: Self.filters)
            var result = ClickExportFilter(from: query.time("from"), to: query.time("to") ?? Timestamp.now())
            if let from = result.from, let to = result.to, from >= to { query.fail("from", "range", "must be before to") }
            result.includeBots = query.bool("includeBots") ?? false
            let raw = query.bool("raw") ?? false
            for name in Self.filters.sorted() where query.all(name).count > ClickExportResolver.maximumValues {
                query.fail(name, "too_many_values", "may be given at most \(ClickExportResolver.maximumValues) times")
            }
            try query.finish()
            do {
                try await resolver.resolve(
                    links: query.all("link"), campaigns: query.all("campaign"), clients: query.all("client"),
                    tags: query.all("tag"), into: &result)
            } catch let unknown as ClickExportResolver.Unknown {
                throw APIError.notFound(unknown.what)
            } catch let ambiguous as ClickExportResolver.Ambiguous {
                let message =
                    "names a campaign of several clients (\(ambiguous.clients.joined(separator: ", "))): "
                    + "add client=… or give the campaign's id"
                throw APIError(
                    .invalidRequest, "campaign: " + message,
                    errors: [FieldError(field: "campaign", code: "ambiguous", message: message)])
            }
            return Parameters(filter: result, raw: raw)
        }

        @Sendable func csv(_ chunks: ClickExportStream, name: String) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            headers[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                for try await chunk in chunks {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }

        router.get("/api/v1/exports/clicks.csv") { request, _ in
            let parameters = try await parameters(request)
            return csv(try await exports.clicks(parameters.filter, raw: parameters.raw), name: "clicks.csv")
        }
        router.get("/api/v1/exports/summary.csv") { request, _ in
            let parameters = try await parameters(request)
            return csv(exports.summary(parameters.filter, raw: parameters.raw), name: "summary.csv")
        }
    }
}
