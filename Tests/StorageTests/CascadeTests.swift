import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct CascadeTests {
    @Test func deleteUser_removesTheirLinksTagLinksAndTokens_andClicksAtThePurge_andReportsLinkCount() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let other = try await UserRepository(pool: f.db.pool).create(email: "bo@agency.example", name: "Bo")
        let mine = try await f.link("mine1", tags: ["x"])
        _ = try await f.link("mine2")
        let theirs = try await f.link("theirs", tags: ["x"], user: other.id)
        try await f.addClick(to: mine.id)
        try await f.db.pool.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES ($1, 'cli', sha256('t'::bytea), 'sl_')", [f.user.id.pg])

        let deleted = try await UserRepository(pool: f.db.pool).delete(f.user.id)
        #expect(deleted == 2)
        #expect(try await f.count("SELECT count(*) FROM links WHERE user_id = $1", [f.user.id.pg]) == 0)
        // Raw clicks have no foreign key (migration 0011): the housekeeping's purge takes them.
        #expect(try await f.count("SELECT count(*) FROM deleted_links") == 2)
        try await PostgresClickStore(pool: f.db.pool).maintain(retentionMonths: nil)
        #expect(try await f.count("SELECT count(*) FROM clicks") == 0)
        #expect(try await f.count("SELECT count(*) FROM api_tokens") == 0)
        #expect(try await f.count("SELECT count(*) FROM link_tags") == 1)
        #expect(try await f.links.get(theirs.id) != nil)
        #expect(try await UserRepository(pool: f.db.pool).delete(f.user.id) == nil)
    }

    @Test func deleteClient_removesItsCampaignsAndLinks() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let otherClient = try await ClientRepository(pool: f.db.pool).create(name: "Globex")
        _ = try await f.link("a1", campaign: f.campaign.id)
        _ = try await f.link("a2")
        let kept = try await f.link("g1", client: otherClient.id)
        #expect(try await ClientRepository(pool: f.db.pool).delete(f.client.id))
        #expect(try await f.count("SELECT count(*) FROM campaigns WHERE client_id = $1", [f.client.id.pg]) == 0)
        #expect(try await f.count("SELECT count(*) FROM links") == 1)
        #expect(try await f.links.get(kept.id) != nil)
    }

    @Test func deleteCampaign_keepsLinksWithCampaignCleared() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("camp", campaign: f.campaign.id)
        #expect(try await CampaignRepository(pool: f.db.pool).delete(f.campaign.id))
        let after = try #require(try await f.links.get(link.id))
        #expect(after.campaignID == nil)
        #expect(after.clientID == f.client.id)
    }

    @Test func deleteLink_removesTagLinksAtOnceAndClicksAtThePurge_keepsTags() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("gone", tags: ["keep-me"])
        try await f.addClick(to: link.id)
        try await f.addClick(to: link.id)
        #expect(try await f.links.delete(link.id))
        #expect(try await f.count("SELECT count(*) FROM clicks") == 2, "raw rows wait for the purge (migration 0011)")
        try await PostgresClickStore(pool: f.db.pool).maintain(retentionMonths: nil)
        #expect(try await f.count("SELECT count(*) FROM clicks") == 0)
        #expect(try await f.count("SELECT count(*) FROM link_tags") == 0)
        #expect(try await TagRepository(pool: f.db.pool).find(name: "keep-me")?.linkCount == 0)
    }

    @Test func deleteTag_removesTagLinks_keepsLinks() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("tagged", tags: ["a", "b"])
        let tag = try #require(try await TagRepository(pool: f.db.pool).find(name: "a"))
        #expect(try await TagRepository(pool: f.db.pool).delete(tag.id))
        #expect(try await f.links.get(link.id)?.tags == ["b"])
    }
}
