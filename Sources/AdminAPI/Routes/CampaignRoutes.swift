import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/clients/{clientId}/campaigns`: CRUD, always under the owning client (a campaign
/// of another client is a 404). Deleting a campaign keeps its links, without a campaign.
struct CampaignRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let clients = api.database.clients
        let campaigns = api.database.campaigns

        @Sendable func client(_ context: AdminRequestContext) async throws -> EntityID {
            let id = try RouteSupport.id(context, "clientId", "client")
            guard try await clients.get(id) != nil else { throw APIError.notFound("client") }
            return id
        }
        @Sendable func campaign(_ context: AdminRequestContext) async throws -> Campaign {
            let clientID = try RouteSupport.id(context, "clientId", "client")
            let id = try RouteSupport.id(context, "campaignId", "campaign")
            guard let campaign = try await campaigns.get(id), campaign.clientID == clientID else { throw APIError.notFound("campaign") }
            return campaign
        }

        router.get("/api/v1/clients/{clientId}/campaigns") { request, context in
            try RouteSupport.requireNoQuery(request)
            let id = try await client(context)
            return JSONResponse.make(["items": .array(try await campaigns.list(clientID: id).map(\.json))])
        }
        router.post("/api/v1/clients/{clientId}/campaigns") { request, context in
            let id = try await client(context)
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            let name = try RouteSupport.name(&body, required: true)!
            do {
                return JSONResponse.make(try await campaigns.create(clientID: id, name: name).json, status: .created)
            } catch {
                throw StorageErrorMapping.map(error)
            }
        }
        router.get("/api/v1/clients/{clientId}/campaigns/{campaignId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            return JSONResponse.make(try await campaign(context).json)
        }
        router.patch("/api/v1/clients/{clientId}/campaigns/{campaignId}") { request, context in
            let existing = try await campaign(context)
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            guard let name = try RouteSupport.name(&body, required: false) else { return JSONResponse.make(existing.json) }
            do {
                guard let renamed = try await campaigns.rename(existing.id, to: name) else { throw APIError.notFound("campaign") }
                return JSONResponse.make(renamed.json)
            } catch {
                throw StorageErrorMapping.map(error)
            }
        }
        router.delete("/api/v1/clients/{clientId}/campaigns/{campaignId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            let existing = try await campaign(context)
            guard let links = try await campaigns.deleteCounting(existing.id) else { throw APIError.notFound("campaign") }
            return JSONResponse.make(["id": .string(existing.id.description), "unassignedLinks": .int(links)])
        }
    }
}
