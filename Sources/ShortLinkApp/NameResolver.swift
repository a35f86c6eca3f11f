import ShortLinkCore
import Storage

/// Client and campaign names of an import, looked up once each.
struct NameResolver {
    let clients: ClientRepository
    let campaigns: CampaignRepository
    private var clientIDs: [String: EntityID?] = [:]
    private var campaignIDs: [EntityID: [String: EntityID]] = [:]

    init(clients: ClientRepository, campaigns: CampaignRepository) {
        self.clients = clients
        self.campaigns = campaigns
    }

    mutating func client(named name: String) async throws -> EntityID? {
        if let known = clientIDs[name] { return known }
        let id = try await clients.find(name: name)?.id
        clientIDs[name] = id
        return id
    }

    mutating func campaign(named name: String, client: EntityID) async throws -> EntityID? {
        if campaignIDs[client] == nil {
            campaignIDs[client] = Dictionary(
                try await campaigns.list(clientID: client).map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        }
        return campaignIDs[client]?[name]
    }
}
