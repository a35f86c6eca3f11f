import HTTPTypes
import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@testable import AdminAPI

/// Clients and their campaigns through the API.
@Suite struct ClientCampaignTests {
    @Test func clients_crudHappyPath() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let created = try await client.post("/api/v1/clients", #"{"name":"  Acme Coffee  "}"#)
            #expect(created.status == 201)
            #expect(created.json["name"] == "Acme Coffee")
            let id = try #require(created.json["id"]?.stringValue)
            let list = try await client.get("/api/v1/clients")
            #expect(list.json["items"]?.arrayValue?.map { $0["name"] } == ["Acme Coffee"])
            let fetched = try await client.get("/api/v1/clients/\(id)")
            #expect(fetched.status == 200)
            #expect(fetched.json["id"]?.stringValue == id)
            let renamed = try await client.patch("/api/v1/clients/\(id)", #"{"name":"Acme Tea"}"#)
            #expect(renamed.status == 200)
            #expect(renamed.json["name"] == "Acme Tea")
            #expect(try await harness.db.pool.query("SELECT name FROM clients")[0].decode(0, as: String.self) == "Acme Tea")
            let deleted = try await client.delete("/api/v1/clients/\(id)")
            #expect(deleted.status == 200)
            #expect(deleted.json["deletedLinks"] == 0)
            #expect(try await client.get("/api/v1/clients/\(id)").status == 404)
            #expect(try await harness.count("clients") == 0)
        }
    }

    @Test func createClient_withDuplicateName_returns409AndChangesNothing() async throws {
        let harness = try await AdminHarness.make()
        _ = try await harness.makeClient("Acme")
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.post("/api/v1/clients", #"{"name":" Acme "}"#)
            #expect(reply.status == 409)
            #expect(reply.code == "client_name_taken")
            #expect(reply.fields == ["name"])
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func renameClient_ontoExistingName_returns409() async throws {
        let harness = try await AdminHarness.make()
        _ = try await harness.makeClient("Acme")
        let other = try await harness.makeClient("Globex")
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.patch("/api/v1/clients/\(other.id)", #"{"name":"Acme"}"#)
            #expect(reply.status == 409)
            #expect(try await harness.snapshot() == before)
        }
    }

    static let badBodies: [(String, Int, String, String?)] = [
        (#"{"name":"   "}"#, 422, "validation_failed", "name"),
        (#"{}"#, 400, "invalid_request", "name"),
        (#"{"name":42}"#, 400, "invalid_request", "name"),
        (#"{"name":"A","extra":true}"#, 400, "invalid_request", "extra"),
        (#"{"name":""# + String(repeating: "x", count: 201) + #""}"#, 422, "validation_failed", "name"),
        (#"["Acme"]"#, 400, "invalid_request", ""),
        (#"{"name":"#, 400, "malformed_json", nil),
    ]

    @Test func createClient_withBadBody_isRefusedAndChangesNothing() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let before = try await harness.snapshot()
            for (body, status, code, field) in Self.badBodies {
                let reply = try await client.post("/api/v1/clients", body)
                let label = String(body.prefix(60))
                #expect(reply.status == status, "\(label)")
                #expect(reply.code == code, "\(label)")
                if let field { #expect(reply.fields.contains(field), "\(label)") }
                #expect(try await harness.snapshot() == before, "\(label)")
            }
        }
    }

    @Test func client_unknownOrMalformedId_returns404() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let unknown = try await client.get("/api/v1/clients/\(EntityID.random())")
            #expect(unknown.status == 404)
            #expect(unknown.code == "not_found")
            #expect(try await client.get("/api/v1/clients/not-a-uuid").status == 404)
            #expect(try await client.delete("/api/v1/clients/\(EntityID.random())").status == 404)
            #expect(try await client.patch("/api/v1/clients/\(EntityID.random())", #"{"name":"X"}"#).status == 404)
        }
    }

    @Test func campaigns_crudUnderClient() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient("Acme")
        try await harness.run { client in
            let created = try await client.post("/api/v1/clients/\(acme.id)/campaigns", #"{"name":"Spring"}"#)
            #expect(created.status == 201)
            #expect(created.json["clientId"]?.stringValue == acme.id.description)
            let id = try #require(created.json["id"]?.stringValue)
            let list = try await client.get("/api/v1/clients/\(acme.id)/campaigns")
            #expect(list.json["items"]?.arrayValue?.count == 1)
            #expect(try await client.get("/api/v1/clients/\(acme.id)/campaigns/\(id)").json["name"] == "Spring")
            let renamed = try await client.patch("/api/v1/clients/\(acme.id)/campaigns/\(id)", #"{"name":"Summer"}"#)
            #expect(renamed.json["name"] == "Summer")
            let duplicate = try await client.post("/api/v1/clients/\(acme.id)/campaigns", #"{"name":"Summer"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.code == "campaign_name_taken")
            let deleted = try await client.delete("/api/v1/clients/\(acme.id)/campaigns/\(id)")
            #expect(deleted.status == 200)
            #expect(deleted.json["unassignedLinks"] == 0)
            #expect(try await harness.count("campaigns") == 0)
        }
    }

    @Test func campaign_ofAnotherClient_returns404() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient("Acme")
        let globex = try await harness.makeClient("Globex")
        let campaign = try await CampaignRepository(pool: harness.db.pool).create(clientID: globex.id, name: "Deals")
        try await harness.run { client in
            #expect(try await client.get("/api/v1/clients/\(acme.id)/campaigns/\(campaign.id)").status == 404)
            let before = try await harness.snapshot()
            #expect(try await client.delete("/api/v1/clients/\(acme.id)/campaigns/\(campaign.id)").status == 404)
            #expect(try await client.post("/api/v1/clients/\(EntityID.random())/campaigns", #"{"name":"X"}"#).status == 404)
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func deleteClient_cascadesToCampaignsAndLinks_andSaysHowMany() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient("Acme")
        let spring = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        try await harness.run { client in
            for index in 0..<3 {
                let reply = try await client.post(
                    "/api/v1/links",
                    #"{"originalUrl":"https://example.com/\#(index)","clientId":"\#(acme.id)","campaignId":"\#(spring.id)","tags":["t"]}"#)
                #expect(reply.status == 201)
            }
            let deleted = try await client.delete("/api/v1/clients/\(acme.id)")
            #expect(deleted.json["deletedCampaigns"] == 1)
            #expect(deleted.json["deletedLinks"] == 3)
            #expect(try await harness.count("links") == 0)
            #expect(try await harness.count("campaigns") == 0)
            #expect(try await harness.count("tags") == 1, "tags outlive their links")
        }
    }

    @Test func deleteCampaign_keepsItsLinksWithoutCampaign() async throws {
        let harness = try await AdminHarness.make()
        let acme = try await harness.makeClient("Acme")
        let spring = try await CampaignRepository(pool: harness.db.pool).create(clientID: acme.id, name: "Spring")
        try await harness.run { client in
            let link = try await client.post(
                "/api/v1/links",
                #"{"originalUrl":"https://example.com/","clientId":"\#(acme.id)","campaignId":"\#(spring.id)"}"#)
            let deleted = try await client.delete("/api/v1/clients/\(acme.id)/campaigns/\(spring.id)")
            #expect(deleted.json["unassignedLinks"] == 1)
            let after = try await client.get("/api/v1/links/\(link.json["id"]!.stringValue!)")
            #expect(after.status == 200)
            #expect(after.json["campaignId"] == .null)
        }
    }
}
