import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import Storage

/// The rollup groups summed in memory (migration 0012) on a real Postgres: the same rows as
/// the SQL path, and each batch counted once whichever path takes it.
@Suite(.teardown) struct InMemoryRollupTests {
    typealias World = RollupTests.World

    static func clicks(_ world: World, _ count: Int, seed: UInt64, hours: Int = 30) -> [StoredClick] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            RollupTests.click(
                random.pick(world.links).id, at: RollupTests.june.adding(seconds: Int64(random.int(in: 0...(hours * 3600 - 1)))),
                random: &random)
        }
    }

    static func owners(_ world: World) async throws -> [String] {
        try await world.pool.query("SELECT coalesce(owner::text, 'none') FROM click_batches_pending ORDER BY batch").map {
            try $0.decode(0, as: String.self)
        }
    }

    /// Every hourly and daily sketch as its bytes: the in-memory path builds them with the
    /// same hll functions over the same visitor hashes, so they are equal, not just close.
    static func sketches(_ world: World) async throws -> [String] {
        try await world.pool.query(
            """
            SELECT link_id || ' ' || hour || ' ' || visitors::text || ' ' || human_visitors::text FROM link_rollups_hourly
            UNION ALL SELECT link_id || ' ' || day || ' ' || visitors::text || ' ' || human_visitors::text FROM link_rollups_daily
            UNION ALL SELECT scope::text || scope_id || ' ' || hour || ' ' || visitors::text FROM scope_rollups_hourly
            ORDER BY 1
            """
        ).map { try $0.decode(0, as: String.self) }
    }

    @Test func heldBatches_areNamedForTheirOwner_appliedFromMemory_andEqualARebuildFromRawRows() async throws {
        let world = try await World.make(inMemory: true)
        onTeardown { await world.fixture.db.drop() }
        let groups = try #require(world.groups)
        let all = Self.clicks(world, 900, seed: 3)
        for start in stride(from: 0, to: all.count, by: 300) { _ = try await world.store.write(Array(all[start..<start + 300])) }
        // Two link-hours with many visitors: 160 (the largest sketch the process builds) and
        // 300 (sent as an array for Postgres to sketch), humans and bots mixed.
        var random = SplitMix64(seed: 33)
        let crowd = [(world.links[2].id, 160), (world.links[3].id, 300)].flatMap { link, visitors in
            (0..<visitors).map { index in
                var click = RollupTests.click(link, at: RollupTests.june.adding(seconds: 7200 + Int64(index)), random: &random)
                click.visitorHash = Int64(10_000 + index)
                return click
            }
        }
        _ = try await world.store.write(crowd)
        #expect(try await Self.owners(world) == Array(repeating: "\(groups.owner)", count: 4))
        #expect(groups.clicks == 1360)
        // Another process's SQL path leaves batches held by a live owner alone.
        #expect(try await PostgresClickStore(pool: world.pool).rollUp(maxClicks: 10_000) == .rolledUp(clicks: 0))
        #expect(try await world.store.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 0, fromMemory: 1360))
        #expect(groups.clicks == 0)
        #expect(try await world.store.pendingRollups().batches == 0)

        let live = try await world.rollupDigest()
        let liveSketches = try await Self.sketches(world)
        #expect(live.count > 200)
        let maintenance = RollupMaintenance(pool: world.pool)
        let rebuilt = try await maintenance.rebuild(days: try #require(try await maintenance.rawClickDays()))
        #expect(rebuilt.clicks == 1360)
        #expect(try await world.rollupDigest() == live)
        #expect(try await Self.sketches(world) == liveSketches)
    }

    /// A cycle of another session takes the held batches (its `rollups run`, or a lease
    /// that ran out): the holder's next cycle finds them gone, applies nothing of its groups
    /// and releases the rest to the SQL path. Every click is counted once.
    @Test func batchesTakenByAnotherSession_areCountedOnce_andTheHolderDropsItsGroups() async throws {
        let world = try await World.make(inMemory: true)
        onTeardown { await world.fixture.db.drop() }
        let first = Self.clicks(world, 200, seed: 4)
        _ = try await world.store.write(first)
        #expect(try await PostgresClickStore(pool: world.pool).rollUpAll() == 200, "with no lease it takes every batch")
        let second = Self.clicks(world, 150, seed: 5)
        _ = try await world.store.write(second)
        #expect(try await Self.owners(world).count == 1)
        // The groups name both batches; one is gone: nothing applied, the other released.
        #expect(try await world.store.applyHeld() == 0)
        #expect(try await Self.owners(world) == ["none"])
        #expect(world.groups?.clicks == 0)
        #expect(try await world.store.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 150))
        let query = MetricsQuery(scope: .organisation, from: RollupTests.june, to: RollupTests.june.adding(seconds: 30 * 3600), includeBots: true)
        #expect(try await world.metrics.report(query).totals.clicks == 350)
        #expect(try await world.rawCount("true", from: query.from, to: query.to) == 350)
    }

    /// The rollup lock held elsewhere: the cycle is busy and keeps its groups for the next.
    @Test func aBusyLock_keepsTheGroupsForTheNextCycle() async throws {
        let world = try await World.make(inMemory: true)
        onTeardown { await world.fixture.db.drop() }
        _ = try await world.store.write(Self.clicks(world, 120, seed: 6))
        let other = try PGConnection(url: world.fixture.db.url)
        try other.executeScript("BEGIN")
        _ = try other.query("SELECT pg_advisory_xact_lock(7237088338478322803)")
        #expect(try await world.store.rollUp(maxClicks: 10_000) == .busy)
        #expect(world.groups?.clicks == 120)
        try other.executeScript("COMMIT")
        #expect(try await world.store.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 0, fromMemory: 120))
    }

    /// A process that died with batches held: another process's SQL path takes them once
    /// the owner lease has run out, not before.
    @Test func aDeadOwnersBatches_goToTheSQLPathAfterTheLease() async throws {
        let world = try await World.make(inMemory: true)
        onTeardown { await world.fixture.db.drop() }
        _ = try await world.store.write(Self.clicks(world, 80, seed: 7))
        let survivor = PostgresClickStore(pool: world.pool, accumulator: RollupAccumulator(), ownerLeaseSeconds: 120)
        #expect(try await survivor.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 0))
        try await world.pool.execute("UPDATE click_batches_pending SET committed_at = now() - interval '121 seconds'")
        #expect(try await survivor.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 80))
        #expect(try await world.store.rollUp(maxClicks: 10_000) == .rolledUp(clicks: 0), "the dead process's groups count nothing")
        let query = MetricsQuery(scope: .organisation, from: RollupTests.june, to: RollupTests.june.adding(seconds: 30 * 3600), includeBots: true)
        #expect(try await world.metrics.report(query).totals.clicks == 80)
    }

    /// Replays (the staged path) are never held: their batches have no owner.
    @Test func aReplayWithNewRows_isRolledUpFromRawRows() async throws {
        let world = try await World.make(inMemory: true)
        onTeardown { await world.fixture.db.drop() }
        let clicks = Self.clicks(world, 60, seed: 8)
        _ = try await world.store.write(Array(clicks[0..<40]))
        #expect(try await world.store.write(clicks).inserted == 20)
        #expect(try await Self.owners(world) == ["\(try #require(world.groups).owner)", "none"])
        #expect(try await world.store.rollUpAll() == 60)
        let query = MetricsQuery(scope: .organisation, from: RollupTests.june, to: RollupTests.june.adding(seconds: 30 * 3600), includeBots: true)
        #expect(try await world.metrics.report(query).totals.clicks == 60)
    }
}
