import LibPQ
import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import Storage

/// The in-memory rollup groups, without a database: keys, sums, merging and the COPY rows.
@Suite struct RollupGroupsTests {
    static let link = EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0001)
    static let other = EntityID(high: 0x0190_0000_0000_7000, low: 0x8000_0000_0000_0002)

    static func click(
        _ link: EntityID = link, at micros: Int64, bot: String? = nil, visitor: Int64? = 1, country: String? = "DE",
        city: String? = "Berlin", referrer: String? = nil
    ) -> StoredClick {
        StoredClick(
            id: .random(), linkID: link, timestamp: Timestamp(microsecondsSinceEpoch: micros), ipAddress: nil, userAgent: nil,
            referrer: referrer, country: country, city: city, verdict: bot.map { .bot($0) } ?? .human, device: "desktop",
            browser: "Chrome", os: nil, visitorHash: visitor)
    }

    static func rows(_ bytes: [UInt8]) -> [[String?]] {
        bytes.split(separator: 10).map { line in Array(line).withUnsafeBytes { PGCopyText.parseRow($0) } }.sorted {
            $0.map { $0 ?? "\\N" }.joined(separator: "|") < $1.map { $0 ?? "\\N" }.joined(separator: "|")
        }
    }

    @Test func floorRoundsTowardMinusInfinity() {
        #expect(RollupGroups.floor(7_199_999_999, 3_600_000_000) == 1)
        #expect(RollupGroups.floor(7_200_000_000, 3_600_000_000) == 2)
        #expect(RollupGroups.floor(0, 3_600_000_000) == 0)
        #expect(RollupGroups.floor(-1, 3_600_000_000) == -1)
        #expect(RollupGroups.floor(-3_600_000_000, 3_600_000_000) == -1)
        #expect(RollupGroups.floor(-3_600_000_001, 3_600_000_000) == -2)
    }

    @Test func clicksOfOneLinkAndHour_makeOneHourRow_withDistinctVisitorsAndHumansApart() {
        var groups = RollupGroups()
        let hour: Int64 = 1_780_272_000_000_000  // 2026-06-01T00:00:00Z
        groups.add(
            batch: 7,
            clicks: [
                Self.click(at: hour + 5, visitor: 10), Self.click(at: hour + 3_599_999_999, visitor: 10),
                Self.click(at: hour + 60_000_000, bot: "library:curl", visitor: 11),
                Self.click(at: hour + 3_600_000_000, visitor: 12),  // the next hour
                Self.click(Self.other, at: hour, visitor: nil),
            ])
        #expect(groups.batches == [7])
        #expect(groups.clicks == 5)
        #expect(groups.hourGroups == 3)
        // Small sets go as finished sketches (the arrays NULL).
        let expected: [[String?]] = [
            ["\(Self.link)", "1780272000", "3", "1", nil, nil, Self.sketch([10, 11]), Self.sketch([10])],
            ["\(Self.link)", "1780275600", "1", "0", nil, nil, Self.sketch([12]), Self.sketch([12])],
            ["\(Self.other)", "1780272000", "1", "0", nil, nil, "\\x118b7f", "\\x118b7f"],
        ]
        #expect(Self.rows(groups.encodeHours()) == Self.rows(expected.map { PGCopyText.encodedRow($0) }.reduce([], +)))
    }

    /// More distinct visitors than the EXPLICIT form holds: that set goes as the array of
    /// visitor hashes and its sketch column is NULL; the humans' set, small, as a sketch.
    @Test func aLargeVisitorSet_goesAsItsArray_forPostgresToSketch() {
        var groups = RollupGroups()
        let hour: Int64 = 1_780_272_000_000_000
        let bots = (0..<200).map { Self.click(at: hour + $0, bot: "library:curl", visitor: Int64(1000 + $0)) }
        groups.add(batch: 1, clicks: bots + [Self.click(at: hour, visitor: 5)])
        let row = Self.rows(groups.encodeHours())[0]
        #expect(row[2] == "201")
        #expect(Self.sortedArrays([row[4]])[0] == "{" + ([5] + (1000..<1200)).map(String.init).joined(separator: ",") + "}")
        #expect(row[5] == nil)
        #expect(row[6] == nil)
        #expect(row[7] == Self.sketch([5]))
    }

    /// The hashes are the extension's own (`SELECT hll_hash_bigint(v)` on Postgres 15 with
    /// postgresql-hll), and the EXPLICIT bytes are what `hll_add_agg` printed for them.
    @Test func sketchHashesAndBytes_matchTheExtension() {
        #expect(HLLSketch.hash(1) == 19_144_387_141_682_250)
        #expect(HLLSketch.hash(2) == -2_447_670_524_089_286_488)
        #expect(HLLSketch.hash(-5) == 5_820_834_854_664_223_012)
        #expect(HLLSketch.hash(0) == 2_945_182_322_382_062_539)
        var buffer: [UInt8] = []
        HLLSketch.appendExplicit([HLLSketch.hash(2), HLLSketch.hash(1), HLLSketch.hash(-5)].sorted(), to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"\\x128b7fde0820a06c76c0a8004403b7fb05c44a50c7c275d0793924"#)
    }

    /// The sketch field as COPY decodes it, built from visitor hashes.
    static func sketch(_ visitors: [Int64]) -> String {
        var buffer: [UInt8] = []
        HLLSketch.appendExplicit(visitors.map(HLLSketch.hash).sorted(), to: &buffer)
        return Array(buffer).withUnsafeBytes { PGCopyText.parseRow($0) }[0]!
    }

    @Test func dimensions_keepRawValues_oneRowPerDayAndValues_botReasonsForBotsOnly() {
        var groups = RollupGroups()
        let day: Int64 = 1_780_272_000_000_000
        groups.add(
            batch: 1,
            clicks: [
                Self.click(at: day, referrer: "https://a.example/x"),
                Self.click(at: day + 1, bot: "crawler:googlebot", referrer: "https://a.example/x"),
                Self.click(at: day + 2, country: nil, city: nil, referrer: "tab\there"),
                Self.click(at: day + 86_400_000_000, referrer: nil),
            ])
        let rows = Self.rows(groups.encodeDimensions())
        func row(_ dayEpoch: String, _ dimension: String, _ a: String?, _ b: String?, _ c: String?, _ clicks: String, _ bots: String)
            -> [String?]
        { ["\(Self.link)", dayEpoch, dimension, a, b, c, clicks, bots] }
        let expected = [
            row("20605", "g", "DE", "Berlin", nil, "2", "1"),
            row("20605", "g", nil, nil, nil, "1", "0"),
            row("20605", "r", "https://a.example/x", nil, nil, "2", "1"),
            row("20605", "r", "tab\there", nil, nil, "1", "0"),
            row("20605", "t", "desktop", "Chrome", nil, "3", "1"),
            row("20605", "x", "crawler:googlebot", nil, nil, "1", "1"),
            row("20606", "g", "DE", "Berlin", nil, "1", "0"),
            row("20606", "r", nil, nil, nil, "1", "0"),
            row("20606", "t", "desktop", "Chrome", nil, "1", "0"),
        ]
        #expect(rows == Self.rows(expected.map { PGCopyText.encodedRow($0) }.reduce([], +)))
        #expect(groups.dimensionGroups == 9)
    }

    @Test func batchesAddedApart_orPutBackAfterAFailedCycle_giveWhatAddingEverythingAtOnceGives() {
        var random = SplitMix64(seed: 9)
        let clicks = (0..<2000).map { _ in
            Self.click(
                random.chance(50) ? Self.link : Self.other, at: 1_780_272_000_000_000 + Int64(random.int(in: 0...(3 * 86_400 - 1))) * 1_000_000,
                bot: random.chance(20) ? "library:curl" : nil, visitor: Int64(random.int(in: 0...50)),
                country: random.pick(["DE", "FR", nil]), referrer: random.pick([nil, "https://t.co/x"]))
        }
        var whole = RollupGroups()
        whole.add(batch: 1, clicks: clicks)
        let accumulator = RollupAccumulator()
        for (index, start) in stride(from: 0, to: clicks.count, by: 250).enumerated() {
            accumulator.add(batch: Int64(index + 1), clicks: Array(clicks[start..<start + 250]))
        }
        #expect(accumulator.clicks == 2000)
        let taken = accumulator.take()
        #expect(accumulator.clicks == 0)
        #expect(accumulator.take().isEmpty)
        #expect(taken.batches.sorted() == Array(1...8))
        #expect(taken.clicks == whole.clicks)
        #expect(Self.rows(taken.encodeHours()).map(Self.sortedArrays) == Self.rows(whole.encodeHours()).map(Self.sortedArrays))
        #expect(Self.rows(taken.encodeDimensions()) == Self.rows(whole.encodeDimensions()))
        // Put back after a failed cycle, then taken again with what came meanwhile: the same
        // as adding it all to one.
        accumulator.add(batch: 9, clicks: Array(clicks[0..<10]))
        accumulator.restore(taken)
        #expect(accumulator.clicks == 2010)
        let again = accumulator.take()
        #expect(again.batches.sorted() == Array(1...9))
        whole.add(batch: 9, clicks: Array(clicks[0..<10]))
        #expect(Self.rows(again.encodeHours()).map(Self.sortedArrays) == Self.rows(whole.encodeHours()).map(Self.sortedArrays))
        #expect(Self.rows(again.encodeDimensions()) == Self.rows(whole.encodeDimensions()))
    }

    @Test func aFullAccumulatorRefusesNewBatches() {
        let accumulator = RollupAccumulator(capacity: 100)
        #expect(accumulator.accepts)
        accumulator.add(batch: 1, clicks: (0..<100).map { Self.click(at: Int64($0)) })
        #expect(!accumulator.accepts)
        _ = accumulator.take()
        #expect(accumulator.accepts)
    }

    /// Array fields with their elements sorted (a set's order is not fixed).
    static func sortedArrays(_ row: [String?]) -> [String?] {
        row.map { field in
            guard let field, field.hasPrefix("{") else { return field }
            let values = field.dropFirst().dropLast().split(separator: ",").compactMap { Int64($0) }.sorted()
            return "{" + values.map(String.init).joined(separator: ",") + "}"
        }
    }
}

extension PGCopyText {
    /// One encoded row (tests).
    static func encodedRow(_ fields: [String?]) -> [UInt8] {
        var buffer: [UInt8] = []
        appendRow(fields, to: &buffer)
        return buffer
    }
}
