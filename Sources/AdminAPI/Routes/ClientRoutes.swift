import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/clients`: CRUD; deleting a client deletes its campaigns and links.
struct ClientRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let clients = api.database.clients
        router.get("/api/v1/clients") { request, _ in
            try RouteSupport.requireNoQuery(request)
            return JSONResponse.make(["items": .array(try await clients.list().map(\.json))])
        }
        router.post("/api/v1/clients") { request, _ in
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            let name = try RouteSupport.name(&body, required: true)!
            do {
                return JSONResponse.make(try await clients.create(name: name).json, status: .created)
            } catch {
                throw StorageErrorMapping.map(error)
            }
        }
        router.get("/api/v1/clients/{clientId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard let client = try await clients.get(try RouteSupport.id(context, "clientId", "client")) else {
                throw APIError.notFound("client")
            }
            return JSONResponse.make(client.json)
        }
        router.patch("/api/v1/clients/{clientId}") { request, context in
            let id = try RouteSupport.id(context, "clientId", "client")
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            guard let name = try RouteSupport.name(&body, required: false) else {
                guard let client = try await clients.get(id) else { throw APIError.notFound("client") }
                return JSONResponse.make(client.json)
            }
            do {
                guard let client = try await clients.rename(id, to: name) else { throw APIError.notFound("client") }
                return JSONResponse.make(client.json)
            } catch {
                throw StorageErrorMapping.map(error)
            }
        }
        router.delete("/api/v1/clients/{clientId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            let id = try RouteSupport.id(context, "clientId", "client")
            guard let counts = try await clients.deleteCounting(id) else { throw APIError.notFound("client") }
            return JSONResponse.make([
                "id": .string(id.description), "deletedCampaigns": .int(counts.campaigns), "deletedLinks": .int(counts.links),
            ])
        }
    }
}
