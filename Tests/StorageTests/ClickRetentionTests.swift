import LibPQ
import Logging
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import Storage

/// Retention over the default partition too (issue 14 #22), on a real Postgres: old rows
/// that landed in `clicks_default` are deleted in bounded batches, old partitions dropped,
/// and one info record says what went.
@Suite(.teardown) struct ClickRetentionTests {
    /// 2020-01-10T12:00:00Z: a month no partition covers, so its clicks land in the default one.
    static let january2020 = Timestamp(microsecondsSinceEpoch: 1_578_657_600_000_000)
    /// 2020-03-15T00:00:00Z.
    static let march2020 = Timestamp(microsecondsSinceEpoch: 1_584_230_400_000_000)
    /// 2099-06-01T00:00:00Z: far ahead, also in the default partition, and newer than any cutoff.
    static let future = Timestamp(microsecondsSinceEpoch: 4_084_300_800_000_000)

    static func clicks(_ link: EntityID, at time: Timestamp, count: Int, random: inout SplitMix64) -> [StoredClick] {
        (0..<count).map { index in
            let at = time.adding(seconds: Int64(index) * 60)
            return StoredClick(
                id: EntityID.version7(unixMilliseconds: UInt64(at.microsecondsSinceEpoch / 1000), using: &random), linkID: link,
                timestamp: at, ipAddress: nil, userAgent: "Mozilla/5.0", referrer: nil, country: "DE", city: nil,
                verdict: .human, device: nil, browser: nil, os: nil, visitorHash: Int64(index))
        }
    }

    /// Clicks in the default partition (January 2020 and 2099), in an old partition of
    /// their own (March 2020) and now.
    static func seed(_ fixture: Fixture) async throws -> Link {
        let link = try await fixture.link("keep")
        try await fixture.db.pool.execute("SELECT ensure_click_partitions(0, DATE '2020-03-01')")
        var random = SplitMix64(seed: 22)
        let store = PostgresClickStore(pool: fixture.db.pool)
        _ = try await store.write(clicks(link.id, at: january2020, count: 25, random: &random))
        _ = try await store.write(clicks(link.id, at: march2020, count: 5, random: &random))
        _ = try await store.write(clicks(link.id, at: future, count: 3, random: &random))
        _ = try await store.write(clicks(link.id, at: Timestamp.now().adding(seconds: -600), count: 4, random: &random))
        try await store.rollUpAll()
        #expect(try await fixture.count("SELECT count(*) FROM clicks_default") == 28)
        return link
    }

    @Test func retention_deletesOldDefaultPartitionRowsInBatches_dropsOldPartitions_andLogsIt() async throws {
        let fixture = try await Fixture.make()
        onTeardown { await fixture.db.drop() }
        let link = try await Self.seed(fixture)
        let rollupsBefore = try await fixture.count("SELECT sum(clicks)::int FROM link_rollups_daily WHERE link_id = $1", [link.id.pg])
        let log = CapturedLog()

        let outcome = try await ClickRetention(pool: fixture.db.pool, logger: log.logger(), batchRows: 7).run(months: 2)

        #expect(outcome.droppedPartitions == [ClickRetention.DroppedPartition(name: "clicks_p202003", rows: 5)])
        #expect(outcome.defaultPartition == "clicks_default")
        #expect(outcome.defaultRowsDeleted == 25)
        #expect(outcome.batches == 4, "25 rows in batches of at most 7")
        #expect(try await fixture.count("SELECT count(*) FROM clicks_default") == 3, "the 2099 rows are newer than the cutoff")
        #expect(
            try await fixture.count(
                "SELECT count(*) FROM clicks WHERE \"timestamp\" < $1",
                [PGTimestamp(microsecondsSinceEpoch: outcome.cutoff.microsecondsSinceEpoch)]) == 0)
        #expect(try await fixture.count("SELECT count(*) FROM clicks") == 7)
        #expect(
            try await fixture.count("SELECT sum(clicks)::int FROM link_rollups_daily WHERE link_id = $1", [link.id.pg]) == rollupsBefore,
            "rollups stay")

        let records = log.records.filter { $0.level == .info }
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.message.contains("click retention"))
        #expect(record.metadata["partitions"] == "clicks_p202003 (5 rows)")
        #expect(record.metadata["partition_rows"] == "5")
        #expect(record.metadata["default_partition"] == "clicks_default")
        #expect(record.metadata["default_rows_deleted"] == "25")
        #expect(record.metadata["default_delete_batches"] == "4")
        #expect(record.metadata["cutoff"] == String(outcome.cutoff.iso8601.prefix(10)))

        // Nothing left to remove: no info record, nothing changes.
        let again = try await ClickRetention(pool: fixture.db.pool, logger: log.logger(), batchRows: 7).run(months: 2)
        #expect(!again.removedAnything)
        #expect(again.batches == 1)
        #expect(log.records.filter { $0.level == .info }.count == 1)
        #expect(try await fixture.count("SELECT count(*) FROM clicks") == 7)
    }

    @Test func writerHousekeeping_removesOldDefaultPartitionRows_andLogs() async throws {
        let fixture = try await Fixture.make()
        onTeardown { await fixture.db.drop() }
        _ = try await Self.seed(fixture)
        let log = CapturedLog()

        // The path the click pipeline runs daily.
        try await PostgresClickStore(pool: fixture.db.pool, logger: log.logger()).maintain(retentionMonths: 2)

        #expect(try await fixture.count("SELECT count(*) FROM clicks_default WHERE \"timestamp\" < '2021-01-01'") == 0)
        #expect(try await fixture.count("SELECT count(*) FROM clicks") == 7)
        let record = try #require(log.records.first { $0.level == .info && $0.message.contains("click retention") })
        #expect(record.metadata["default_rows_deleted"] == "25")

        // Without retention nothing is removed.
        let other = try await Fixture.make()
        onTeardown { await other.db.drop() }
        _ = try await Self.seed(other)
        try await PostgresClickStore(pool: other.db.pool, logger: log.logger()).maintain(retentionMonths: nil)
        #expect(try await other.count("SELECT count(*) FROM clicks") == 37)
    }
}
