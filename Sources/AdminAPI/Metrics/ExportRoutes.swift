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
            var errors: [FieldError] = []
            var values: [String: String] = [:]
            for (name, value) in RouteSupport.query(request) {
                if !Self.known.contains(name) {
                    errors.append(FieldError(field: name, code: "unknown_parameter", message: "is not a known query parameter"))
                }
                values[name] = value
            }
            func time(_ name: String) -> Timestamp? {
                guard let text = values[name] else { return nil }
                guard let time = ISO8601.parse(text) else {
                    errors.append(FieldError(field: name, code: "format", message: "must be an RFC 3339 time or a date (2026-11-22)"))
                    return nil
                }
                return time
            }
            var result = ClickExportFilter(from: time("from"), to: time("to"))
            if let from = result.from, let to = result.to, from >= to {
                errors.append(FieldError(field: "from", code: "range", message: "must be before to"))
            }
            if let text = values["includeBots"] {
                switch text {
                case "true", "1": result.includeBots = true
                case "false", "0": result.includeBots = false
                default: errors.append(FieldError(field: "includeBots", code: "format", message: "must be true or false"))
                }
            }
            if let text = values["campaign"], EntityID(text) == nil {
                errors.append(FieldError(field: "campaign", code: "format", message: "must be a UUID"))
            }
            guard errors.isEmpty else {
                throw APIError(.invalidRequest, "invalid query parameter(s): " + errors.map(\.field).joined(separator: ", "), errors: errors)
            }
            do {
                if let text = values["link"] { result.linkID = try await resolver.link(text) }
                if let text = values["campaign"] { result.campaignID = try await resolver.campaign(text) }
                if let text = values["client"] { result.clientID = try await resolver.client(text) }
                if let text = values["tag"] { result.tagID = try await resolver.tag(text) }
            } catch let unknown as ClickExportResolver.Unknown {
                throw APIError.notFound(unknown.what)
            }
            return result
        }

        @Sendable func csv(_ statement: String, name: String) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(name)\""
            headers[.cacheControl] = "no-store"
            let body = ResponseBody { writer in
                for try await chunk in pool.copyOut(statement, chunkSize: 256 * 1024) {
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }

        router.get("/api/v1/exports/clicks.csv") { request, _ in
            csv(ClickExport.clicksStatement(try await filter(request)), name: "clicks.csv")
        }
        router.get("/api/v1/exports/summary.csv") { request, _ in
            csv(ClickExport.summaryStatement(try await filter(request)), name: "summary.csv")
        }
    }
}
