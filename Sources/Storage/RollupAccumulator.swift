import LibPQ
public import ShortLinkCore
import Synchronization

/// The rollup groups of stored clicks, summed in memory over a rollup interval (migration
/// 0012): per link and hour the clicks, bot clicks and distinct visitor hashes; per link,
/// day and raw dimension values the clicks and bot clicks. Values stay raw (country, city,
/// referrer, device, browser, OS, bot reason): Postgres derives place, referrer host and
/// technology from them with the expressions the SQL path uses, so both paths agree by
/// construction. Not durable: exactly-once rests on the batches' pending rows, which only
/// the transaction that applies (or the SQL path that reads) a batch deletes.
public struct RollupGroups: Sendable {
    /// A link and the start of an hour (seconds since 1970, UTC).
    struct HourKey: Hashable {
        var link: EntityID
        var hour: Int64
    }

    /// An hour's counts and its index among the hours (for its visitors).
    struct HourCounts {
        var clicks: Int32 = 0
        var botClicks: Int32 = 0
        var index: Int32
    }

    /// One visitor hash seen in an hour group: `human` when a human click carried it.
    struct Visitor {
        var group: Int32
        var hash: Int64
        var human: Bool
    }

    /// A link, a day (days since 1970, UTC), a dimension (`g` place, `r` referrer,
    /// `t` technology, `x` bot reason) and its raw values as indexes into ``values``
    /// (-1: none). Small integer keys: hashing them costs a fraction of hashing strings.
    struct DimensionKey: Hashable {
        var link: EntityID
        var day: Int32
        var dimension: UInt8
        var a: Int32
        var b: Int32 = -1
        var c: Int32 = -1
    }

    struct Counts {
        var clicks: Int32 = 0
        var botClicks: Int32 = 0
    }

    /// The pending batches whose clicks these are.
    public private(set) var batches: [Int64] = []
    /// Clicks summed.
    public private(set) var clicks = 0
    var hours: [HourKey: HourCounts] = [:]
    /// Every (hour group, visitor hash) seen, duplicates included: sorted and de-duplicated
    /// when encoded, not kept in a set per group (most groups hold one or two clicks).
    var visitors: [Visitor] = []
    var dimensions: [DimensionKey: Counts] = [:]
    /// The distinct dimension values, each once.
    var values: [String] = []
    var valueIndexes: [String: Int32] = [:]

    /// No groups.
    public init() {}

    /// No groups, with room for as many as `previous` held, and its dimension values (a
    /// cycle's values mostly recur in the next; at most 100,000 are kept).
    init(after previous: RollupGroups) {
        hours.reserveCapacity(previous.hours.count)
        dimensions.reserveCapacity(previous.dimensions.count)
        visitors.reserveCapacity(previous.visitors.count)
        if previous.values.count <= 100_000 {
            values = previous.values
            valueIndexes = previous.valueIndexes
        }
    }

    /// True when no batch is held.
    public var isEmpty: Bool { batches.isEmpty }

    /// (link, hour) groups held.
    public var hourGroups: Int { hours.count }

    /// (link, day, dimension, values) groups held.
    public var dimensionGroups: Int { dimensions.count }

    /// Adds a batch's clicks.
    /// - Parameters:
    ///   - batch: its pending row's batch number.
    ///   - clicks: every click the batch stored.
    public mutating func add(batch: Int64, clicks batchClicks: [StoredClick]) {
        batches.append(batch)
        clicks += batchClicks.count
        for click in batchClicks { add(click) }
    }

    mutating func add(_ click: StoredClick) {
        let micros = click.timestamp.microsecondsSinceEpoch
        let bot: Int32 = click.verdict.isBot ? 1 : 0
        let link = click.linkID
        let hourKey = HourKey(link: link, hour: Self.floor(micros, 3_600_000_000) * 3600)
        let next = Int32(hours.count)
        let group = { (counts: inout HourCounts) -> Int32 in
            counts.clicks += 1
            counts.botClicks += bot
            return counts.index
        }(&hours[hourKey, default: HourCounts(index: next)])
        if let hash = click.visitorHash { visitors.append(Visitor(group: group, hash: hash, human: bot == 0)) }
        let day = Int32(truncatingIfNeeded: Self.floor(micros, 86_400_000_000))
        count(DimensionKey(link: link, day: day, dimension: UInt8(ascii: "g"), a: index(click.country), b: index(click.city)), bot: bot)
        count(DimensionKey(link: link, day: day, dimension: UInt8(ascii: "r"), a: index(click.referrer)), bot: bot)
        count(
            DimensionKey(
                link: link, day: day, dimension: UInt8(ascii: "t"), a: index(click.device), b: index(click.browser), c: index(click.os)),
            bot: bot)
        if bot == 1 {
            count(DimensionKey(link: link, day: day, dimension: UInt8(ascii: "x"), a: index(click.verdict.reason)), bot: 1)
        }
    }

    private mutating func index(_ value: String?) -> Int32 {
        guard let value else { return -1 }
        if let known = valueIndexes[value] { return known }
        let added = Int32(values.count)
        values.append(value)
        valueIndexes[value] = added
        return added
    }

    private mutating func count(_ key: DimensionKey, bot: Int32) {
        dimensions[key, default: Counts()].add(clicks: 1, botClicks: bot)
    }

    /// Adds another set of groups (groups taken back after a failed cycle).
    public mutating func merge(_ other: RollupGroups) {
        guard !other.isEmpty else { return }
        if isEmpty {
            self = other
            return
        }
        batches.append(contentsOf: other.batches)
        clicks += other.clicks
        var groupIndex = [Int32](repeating: 0, count: other.hours.count)
        for (key, counts) in other.hours {
            let next = Int32(hours.count)
            groupIndex[Int(counts.index)] = { (mine: inout HourCounts) -> Int32 in
                mine.clicks += counts.clicks
                mine.botClicks += counts.botClicks
                return mine.index
            }(&hours[key, default: HourCounts(index: next)])
        }
        for visitor in other.visitors {
            visitors.append(Visitor(group: groupIndex[Int(visitor.group)], hash: visitor.hash, human: visitor.human))
        }
        let valueIndex = other.values.map { index($0) }
        func mapped(_ value: Int32) -> Int32 { value < 0 ? -1 : valueIndex[Int(value)] }
        for (key, counts) in other.dimensions {
            var key = key
            (key.a, key.b, key.c) = (mapped(key.a), mapped(key.b), mapped(key.c))
            dimensions[key, default: Counts()].add(clicks: counts.clicks, botClicks: counts.botClicks)
        }
    }

    /// Rows of `COPY acc_link_hours (link_id, hour_epoch, clicks, bot_clicks, visitors,
    /// human_visitors, visitors_sketch, human_visitors_sketch) FROM STDIN`, one per (link,
    /// hour). Each set of visitors goes as its finished hll sketch when it is small enough
    /// for the EXPLICIT form (``HLLSketch``; almost every group), else as the array of
    /// visitor hashes Postgres sketches itself; the other column is NULL.
    public func encodeHours() -> [UInt8] {
        // The visitors by group, each hash once (a human click's hash also counts as human).
        let sorted = visitors.sorted { ($0.group, $0.hash, $0.human ? 0 : 1) < ($1.group, $1.hash, $1.human ? 0 : 1) }
        var starts = [Int](repeating: sorted.count, count: hours.count + 1)
        for (position, visitor) in sorted.enumerated().reversed() { starts[Int(visitor.group)] = position }
        for group in stride(from: hours.count - 1, through: 0, by: -1) where starts[group] > starts[group + 1] {
            starts[group] = starts[group + 1]
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(hours.count * 64 + visitors.count * 24)
        for (key, counts) in hours {
            key.link.appendDescription(to: &buffer)
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(key.hour, to: &buffer)
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(Int64(counts.clicks), to: &buffer)
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(Int64(counts.botClicks), to: &buffer)
            tab(&buffer)
            let range = sorted[starts[Int(counts.index)]..<starts[Int(counts.index) + 1]]
            let all = Self.sketched(range, humansOnly: false)
            let humans = Self.sketched(range, humansOnly: true)
            if all == nil { appendArray(range, humansOnly: false, to: &buffer) } else { PGCopyText.appendField(nil, to: &buffer) }
            tab(&buffer)
            if humans == nil { appendArray(range, humansOnly: true, to: &buffer) } else { PGCopyText.appendField(nil, to: &buffer) }
            tab(&buffer)
            if let all { HLLSketch.appendExplicit(all, to: &buffer) } else { PGCopyText.appendField(nil, to: &buffer) }
            tab(&buffer)
            if let humans { HLLSketch.appendExplicit(humans, to: &buffer) } else { PGCopyText.appendField(nil, to: &buffer) }
            buffer.append(UInt8(ascii: "\n"))
        }
        return buffer
    }

    /// Rows of `COPY acc_link_dimensions (link_id, day_epoch, dimension, a, b, c, clicks,
    /// bot_clicks) FROM STDIN`, one per (link, day, dimension, raw values).
    public func encodeDimensions() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(dimensions.count * 96)
        for (key, counts) in dimensions {
            key.link.appendDescription(to: &buffer)
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(Int64(key.day), to: &buffer)
            tab(&buffer)
            buffer.append(key.dimension)
            for value in [key.a, key.b, key.c] {
                tab(&buffer)
                PGCopyText.appendField(value < 0 ? nil : values[Int(value)], to: &buffer)
            }
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(Int64(counts.clicks), to: &buffer)
            tab(&buffer)
            ClickCopyEncoder.appendDecimal(Int64(counts.botClicks), to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
        return buffer
    }

    /// `value / divisor` rounded toward minus infinity (times before 1970 fall in the right
    /// hour and day too).
    static func floor(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// The hll hashes of a group's distinct visitors (of its human clicks only, with
    /// `humansOnly`), sorted and distinct, when the EXPLICIT form holds them; else `nil`.
    static func sketched(_ visitors: ArraySlice<Visitor>, humansOnly: Bool) -> [Int64]? {
        var hashes: [Int64] = []
        var last: Int64?
        for visitor in visitors where visitor.hash != last && (!humansOnly || visitor.human) {
            last = visitor.hash
            hashes.append(HLLSketch.hash(visitor.hash))
            // Distinct visitors may share a hash: the limit is checked after de-duplication.
            if hashes.count > 2 * HLLSketch.explicitLimit { return nil }
        }
        hashes.sort()
        var distinct: [Int64] = []
        distinct.reserveCapacity(hashes.count)
        for hash in hashes where hash != distinct.last { distinct.append(hash) }
        return distinct.count <= HLLSketch.explicitLimit ? distinct : nil
    }

    /// `{h1,h2,…}`: the distinct hashes of a group's sorted visitors (of its human clicks
    /// only, with `humansOnly`).
    private func appendArray(_ visitors: ArraySlice<Visitor>, humansOnly: Bool, to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "{"))
        var last: Int64?
        for visitor in visitors where visitor.hash != last && (!humansOnly || visitor.human) {
            if last != nil { buffer.append(UInt8(ascii: ",")) }
            last = visitor.hash
            ClickCopyEncoder.appendDecimal(visitor.hash, to: &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }

    @inline(__always)
    private func tab(_ buffer: inout [UInt8]) { buffer.append(UInt8(ascii: "\t")) }
}

extension RollupGroups.Counts {
    mutating func add(clicks: Int32, botClicks: Int32) {
        self.clicks += clicks
        self.botClicks += botClicks
    }
}

/// The process's ``RollupGroups``, filled by the click writers and taken by the rollup
/// worker once per cycle (``PostgresClickStore``). One lock: a batch's clicks and its number
/// go in together, so a cycle never takes part of a batch; taking swaps the groups out
/// (no copy, no merge), and a writer holds the lock for its batch's additions only (about
/// a microsecond per click, `shortlinks measure-enrichment`).
public final class RollupAccumulator: Sendable {
    /// The id this process stamps on the pending batches it holds
    /// (`click_batches_pending.owner`).
    public let owner: EntityID
    /// Clicks held at most: beyond it new batches are left to the SQL path (a worker that
    /// cannot apply for a long while does not grow without bound).
    public let capacity: Int
    private let groups = Mutex(RollupGroups())
    private let held = Atomic<Int>(0)

    /// Creates an empty accumulator.
    /// - Parameters:
    ///   - owner: the process's id (random by default).
    ///   - capacity: clicks held at most (default 5,000,000: about 100 s at 50,000/s).
    public init(owner: EntityID = .random(), capacity: Int = 5_000_000) {
        self.owner = owner
        self.capacity = capacity
    }

    /// Whether a batch about to be written should be held here (stamped with ``owner``):
    /// false once ``capacity`` clicks are held.
    public var accepts: Bool { held.load(ordering: .relaxed) < capacity }

    /// Clicks held now.
    public var clicks: Int { held.load(ordering: .relaxed) }

    /// Adds a batch committed with this process as its owner.
    public func add(batch: Int64, clicks: [StoredClick]) {
        groups.withLock { $0.add(batch: batch, clicks: clicks) }
        held.add(clicks.count, ordering: .relaxed)
    }

    /// Takes every group held, leaving the accumulator empty.
    public func take() -> RollupGroups {
        let taken = groups.withLock { groups in
            defer { groups = RollupGroups(after: groups) }
            return groups
        }
        held.subtract(taken.clicks, ordering: .relaxed)
        return taken
    }

    /// Puts back groups taken by ``take()`` whose cycle did not apply them (it failed
    /// before its commit, or the rollup lock was busy).
    public func restore(_ taken: RollupGroups) {
        guard !taken.isEmpty else { return }
        groups.withLock { $0.merge(taken) }
        held.add(taken.clicks, ordering: .relaxed)
    }
}
