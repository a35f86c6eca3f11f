import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct ConstraintTests {
    @Test func duplicateClientName_isClientNameTaken() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let error = await storageError { _ = try await ClientRepository(pool: f.db.pool).create(name: "Acme") }
        #expect(error?.code == .clientNameTaken)
        #expect(error?.description.contains("clients_name_key") == true)
    }

    @Test func duplicateShortCode_isShortCodeTaken_andStoresNothing() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        _ = try await f.link("same")
        let error = await storageError { _ = try await f.link("same", tags: ["new-tag"]) }
        #expect(error?.code == .shortCodeTaken)
        #expect(error?.description.contains("links_short_code_key") == true)
        // The failed create's transaction left no tag behind.
        #expect(try await TagRepository(pool: f.db.pool).find(name: "new-tag") == nil)
    }

    @Test func duplicateTagName_isTagNameTaken() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        _ = try await f.link("t1", tags: ["one", "two"])
        let two = try #require(try await TagRepository(pool: f.db.pool).find(name: "two"))
        let error = await storageError { _ = try await TagRepository(pool: f.db.pool).rename(two.id, to: "one") }
        #expect(error?.code == .tagNameTaken)
        #expect(error?.description.contains("tags_name_key") == true)
    }

    @Test func campaignOfAnotherClient_isRefusedByTheDatabase() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let globex = try await ClientRepository(pool: f.db.pool).create(name: "Globex")
        let globexCampaign = try await CampaignRepository(pool: f.db.pool).create(clientID: globex.id, name: "Summer")
        let error = await storageError { _ = try await f.link("cross", campaign: globexCampaign.id) }
        #expect(error?.code == .campaignOfAnotherClient)
        // Also through an update.
        let link = try await f.link("ok", campaign: f.campaign.id)
        let updateError = await storageError { _ = try await f.links.update(link.id, LinkPatch(campaignID: .some(globexCampaign.id))) }
        #expect(updateError?.code == .campaignOfAnotherClient)
        #expect(try await f.links.get(link.id)?.campaignID == f.campaign.id)
    }

    @Test func invalidShortCode_isCheckViolationInSQL() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let error = await pgErrorCode {
            try await f.db.pool.execute(
                "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ('bad code!', 'https://x', $1, $2)",
                [f.user.id.pg, f.client.id.pg])
        }
        #expect(error?.code == .checkViolation)
    }

    @Test func updatedAt_isKeptByTrigger() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        try await f.db.pool.execute("UPDATE clients SET updated_at = now() - interval '1 day' WHERE id = $1", [f.client.id.pg])
        let old = try #require(try await ClientRepository(pool: f.db.pool).get(f.client.id))
        // The trigger overrides any value written, so the back-dated value never sticks.
        #expect(old.updatedAt >= f.client.updatedAt)
        let renamed = try #require(try await ClientRepository(pool: f.db.pool).rename(f.client.id, to: "Acme Corp"))
        #expect(renamed.updatedAt > f.client.updatedAt)
        #expect(renamed.createdAt == f.client.createdAt)
    }

    @Test func clickForAMonthWithoutPartition_landsInDefault_thenMovesToNewPartition() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("old")
        try await f.db.pool.execute(
            "INSERT INTO clicks (id, link_id, \"timestamp\") VALUES (gen_random_uuid(), $1, '2001-05-10T12:00:00Z')", [link.id.pg])
        #expect(try await f.db.pool.query("SELECT tableoid::regclass::text FROM clicks")[0].decode(0, as: String.self) == "clicks_default")
        let created = try await f.count("SELECT ensure_click_partitions(0, '2001-05-01')")
        #expect(created == 1)
        #expect(try await f.db.pool.query("SELECT tableoid::regclass::text FROM clicks")[0].decode(0, as: String.self) == "clicks_p200105")
        #expect(try await f.count("SELECT ensure_click_partitions(0, '2001-05-01')") == 0)
    }
}
