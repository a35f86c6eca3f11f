import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/tags`: list with link counts (paged by name, ``TagListQuery``), get, rename,
/// delete (links keep living without it).
/// Tags are created by links (first use), not here.
struct TagRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let tags = api.database.tags
        router.get("/api/v1/tags") { request, _ in
            let query = try TagListQuery(RouteSupport.query(request))
            var page = try await tags.list(limit: query.limit + 1, after: query.after)
            let more = page.count > query.limit
            if more { page.removeLast() }
            let next: JSONValue = more ? .string(TagListQuery.cursor(after: page[page.count - 1].name)) : .null
            return JSONResponse.make(["items": .array(page.map(\.json)), "nextCursor": next])
        }
        router.get("/api/v1/tags/{tagId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard let tag = try await tags.get(try RouteSupport.id(context, "tagId", "tag")) else { throw APIError.notFound("tag") }
            return JSONResponse.make(tag.json)
        }
        router.patch("/api/v1/tags/{tagId}") { request, context in
            let id = try RouteSupport.id(context, "tagId", "tag")
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            if let name = try RouteSupport.name(&body, required: false) {
                do {
                    guard try await tags.rename(id, to: name) else { throw APIError.notFound("tag") }
                } catch {
                    throw StorageErrorMapping.map(error)
                }
            }
            guard let tag = try await tags.get(id) else { throw APIError.notFound("tag") }
            return JSONResponse.make(tag.json)
        }
        router.delete("/api/v1/tags/{tagId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            let id = try RouteSupport.id(context, "tagId", "tag")
            guard let links = try await tags.deleteCounting(id) else { throw APIError.notFound("tag") }
            return JSONResponse.make(["id": .string(id.description), "untaggedLinks": .int(links)])
        }
    }
}
