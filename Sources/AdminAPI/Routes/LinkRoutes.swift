import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/links`: create (custom or generated code), list (filters, sort, cursor), get,
/// patch, delete, and `POST /api/v1/links/bulk`.
struct LinkRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let links = api.database.links
        let service = api.links
        let base = api.configuration.publicBaseURL
        let maxBody = api.configuration.maxBodyBytes

        router.get("/api/v1/links") { request, _ in
            let query = try LinkListQuery(RouteSupport.query(request))
            var filter = query.filter
            filter.limit += 1
            var page = try await links.list(filter)
            let more = page.count > query.filter.limit
            if more { page.removeLast() }
            let next: JSONValue = more ? .string(LinkCursor(after: page[page.count - 1], sort: filter.sort).encoded) : .null
            return JSONResponse.make(["items": .array(page.map { $0.json(baseURL: base) }), "nextCursor": next])
        }
        router.post("/api/v1/links") { request, context in
            let caller = try context.caller()
            var body = try await RequestBody.object(request, limit: maxBody)
            guard let draft = LinkDraft.read(&body) else {
                try body.finish()
                throw APIError(.invalidRequest, "the body is not a link")
            }
            try body.finish()
            let link = try await service.create(draft, owner: caller.user.id)
            var response = JSONResponse.make(link.json(baseURL: base), status: .created)
            response.headers[.location] = "/api/v1/links/\(link.id)"
            return response
        }
        router.post("/api/v1/links/bulk") { request, context in
            let caller = try context.caller()
            return try await bulk(request, owner: caller.user.id, service: service, base: base, maxBody: maxBody)
        }
        router.get("/api/v1/links/{linkId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard let link = try await links.get(try RouteSupport.id(context, "linkId", "link")) else { throw APIError.notFound("link") }
            return JSONResponse.make(link.json(baseURL: base))
        }
        router.patch("/api/v1/links/{linkId}") { request, context in
            let id = try RouteSupport.id(context, "linkId", "link")
            var body = try await RequestBody.object(request, limit: maxBody)
            let patch = try LinkPatchReader.read(&body, validator: service.validator)
            do {
                guard let link = try await links.update(id, patch) else { throw APIError.notFound("link") }
                return JSONResponse.make(link.json(baseURL: base))
            } catch {
                throw StorageErrorMapping.map(error)
            }
        }
        router.delete("/api/v1/links/{linkId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard try await links.delete(try RouteSupport.id(context, "linkId", "link")) else { throw APIError.notFound("link") }
            return JSONResponse.noContent()
        }
    }

    /// `{"links": [...], "atomic": false}` → per-item results, one transaction.
    private func bulk(_ request: Request, owner: EntityID, service: LinkService, base: String, maxBody: Int) async throws -> Response {
        var body = try await RequestBody.object(request, limit: maxBody)
        let atomic = body.bool("atomic") ?? false
        let items = body.value("links")
        guard case .array(let elements) = items else {
            if items == nil || items == .null {
                body.shapeError("links", "required", "is required")
            } else {
                body.shapeError("links", "type", "must be an array of links")
            }
            try body.finish()
            throw APIError(.invalidRequest, "links must be an array")
        }
        try body.finish()
        guard elements.count <= api.configuration.maxBulkLinks else {
            throw APIError.invalid("links", "too_many", "at most \(api.configuration.maxBulkLinks) links per request (got \(elements.count))")
        }
        guard !elements.isEmpty else { throw APIError.invalid("links", "empty", "must hold at least one link") }
        var drafts: [(draft: LinkDraft, path: String)] = []
        var shapeFailures: [Int: APIError] = [:]
        for (index, element) in elements.enumerated() {
            let path = "links[\(index)]"
            guard case .object(let members) = element else {
                shapeFailures[index] = APIError(
                    .invalidRequest, "\(path) must be an object",
                    errors: [FieldError(field: path, code: "type", message: "must be an object, not \(element.typeName)")])
                continue
            }
            var reader = FieldReader(members: members, path: path)
            if let draft = LinkDraft.read(&reader), reader.allShapeErrors.isEmpty {
                drafts.append((draft, path))
            } else {
                let errors = reader.allShapeErrors
                shapeFailures[index] = APIError(.invalidRequest, "\(path) has \(errors.count) invalid field(s)", errors: errors)
            }
        }
        let drafted: (outcomes: [LinkOutcome], committed: Bool)
        if atomic, !shapeFailures.isEmpty {
            drafted = (drafts.map { _ in .skipped }, false)
        } else {
            drafted = try await service.createEach(drafts, owner: owner, atomic: atomic)
        }
        var outcomes = drafted.outcomes.makeIterator()
        var results: [JSONValue] = []
        var created = 0
        for index in elements.indices {
            let outcome = shapeFailures[index].map(LinkOutcome.failed) ?? outcomes.next() ?? .skipped
            var item: [JSONMember] = [JSONMember("index", .int(index))]
            switch outcome {
            case .created(let link):
                created += 1
                item += [JSONMember("result", "created"), JSONMember("status", .int(201)), JSONMember("link", link.json(baseURL: base))]
            case .failed(let error):
                item += [JSONMember("result", "failed"), JSONMember("status", .int(error.status.code)), JSONMember("error", error.problem)]
            case .skipped:
                item += [JSONMember("result", "skipped")]
            }
            results.append(.object(item))
        }
        return JSONResponse.make([
            "atomic": .bool(atomic), "created": .int(created),
            "failed": .int(elements.count - created - results.filter { $0["result"] == "skipped" }.count),
            "skipped": .int(results.filter { $0["result"] == "skipped" }.count), "results": .array(results),
        ])
    }
}
