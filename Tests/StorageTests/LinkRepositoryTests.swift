import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

@Suite(.teardown) struct LinkRepositoryTests {
    @Test func tags_areCreatedOnFirstUse_andShared() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let first = try await f.link("l1", tags: ["  Summer ", "promo", "promo"])
        let second = try await f.link("l2", tags: ["promo"])
        #expect(first.tags == ["Summer", "promo"])
        #expect(second.tags == ["promo"])
        let tags = try await TagRepository(pool: f.db.pool).list()
        #expect(tags.map(\.name) == ["Summer", "promo"])
        #expect(tags.first { $0.name == "promo" }?.linkCount == 2)
        #expect(try await f.count("SELECT count(*) FROM tags") == 2)
    }

    @Test func emptyTagName_isValidationError_andStoresNothing() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        await #expect(throws: ValidationError(field: "tags", message: "must not be empty", rule: "blank")) {
            _ = try await f.link("bad", tags: ["ok", "   "])
        }
        #expect(try await f.count("SELECT count(*) FROM links") == 0)
    }

    @Test func update_replacesTagsAndFields() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        let link = try await f.link("upd", campaign: f.campaign.id, tags: ["a", "b"])
        let updated = try #require(
            try await f.links.update(
                link.id, LinkPatch(originalURL: "https://example.org/new", campaignID: .some(nil), tags: ["b", "c"])))
        #expect(updated.originalURL == "https://example.org/new")
        #expect(updated.campaignID == nil)
        #expect(updated.tags == ["b", "c"])
        #expect(updated.shortCode == link.shortCode)
        #expect(try await f.links.update(EntityID.random(), LinkPatch(originalURL: "https://x")) == nil)
    }

    @Test func list_filtersAndPaginates() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        for index in 0..<5 {
            _ = try await f.link("p\(index)", campaign: index.isMultiple(of: 2) ? f.campaign.id : nil, tags: index < 2 ? ["hot"] : [])
        }
        #expect(try await f.links.list(LinkFilter(campaignID: f.campaign.id)).count == 3)
        #expect(Set(try await f.links.list(LinkFilter(tag: "hot")).map(\.shortCode.rawValue)) == ["p0", "p1"])
        let page1 = try await f.links.list(LinkFilter(limit: 2))
        let page2 = try await f.links.list(LinkFilter(limit: 2, after: (page1[1].createdAt, page1[1].id)))
        let page3 = try await f.links.list(LinkFilter(limit: 2, after: (page2[1].createdAt, page2[1].id)))
        let all = (page1 + page2 + page3).map(\.id)
        #expect(all.count == 5)
        #expect(Set(all).count == 5)
    }

    @Test func bulkCreate_isAllOrNothing() async throws {
        let f = try await Fixture.make()
        onTeardown { await f.db.drop() }
        _ = try await f.link("taken")
        let batch = ["b1", "b2", "taken"].map {
            NewLink(shortCode: ShortCode($0)!, originalURL: "https://example.com", userID: f.user.id, clientID: f.client.id, tags: ["bulk"])
        }
        let error = await storageError { _ = try await f.links.create(batch) }
        #expect(error?.code == .shortCodeTaken)
        #expect(try await f.count("SELECT count(*) FROM links") == 1)
        let created = try await f.links.create(Array(batch.prefix(2)))
        #expect(created.map(\.shortCode.rawValue) == ["b1", "b2"])
    }
}
