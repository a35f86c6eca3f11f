public import ShortLinkCore

/// Whose clicks a metrics report counts.
public enum MetricsScope: Sendable, Hashable {
    /// One link.
    case link(EntityID)
    /// The links currently in a campaign.
    case campaign(EntityID)
    /// The links currently of a client.
    case client(EntityID)
    /// The links currently carrying a tag.
    case tag(EntityID)
    /// Every link.
    case organisation

    /// The `scope` code of `scope_rollups_*` (`nil` for a link, which has tables of its own).
    var code: String? {
        switch self {
        case .link: nil
        case .campaign: "m"
        case .client: "c"
        case .tag: "t"
        case .organisation: "o"
        }
    }

    /// The id the rollup rows are keyed by (the nil UUID for the organisation).
    var rowID: EntityID {
        switch self {
        case .link(let id), .campaign(let id), .client(let id), .tag(let id): id
        case .organisation: EntityID(high: 0, low: 0)
        }
    }
}

/// The width of one time-series bucket.
public enum MetricsInterval: String, CaseIterable, Sendable {
    case hour, day, week, month

    /// An upper bound of the bucket's length in microseconds, to bound the series length.
    var approximateMicroseconds: Int64 {
        switch self {
        case .hour: 3_600_000_000
        case .day: 86_400_000_000
        case .week: 7 * 86_400_000_000
        case .month: 28 * 86_400_000_000
        }
    }
}

/// A dimension of the daily top lists.
public enum MetricsDimension: String, CaseIterable, Sendable {
    case country, city, referrer, device, browser, os, botReason

    /// The code of the list in the top-lists query (`*_rollups_dimensions` stores 'g', 't',
    /// 'r' and 'x'; the query splits 'g' into c and y, 't' into d, b and o).
    var code: String {
        switch self {
        case .country: "c"
        case .city: "y"
        case .referrer: "r"
        case .device: "d"
        case .browser: "b"
        case .os: "o"
        case .botReason: "x"
        }
    }

    init?(code: String) {
        guard let match = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = match
    }
}

/// What to count: a scope, a time range, buckets in a time zone, with or without bots.
public struct MetricsQuery: Sendable {
    /// Whose clicks.
    public var scope: MetricsScope
    /// Start of the range; rounded down to the hour (rollups have hour resolution).
    public var from: Timestamp
    /// End of the range (exclusive); rounded up to the hour.
    public var to: Timestamp
    /// Bucket width.
    public var interval: MetricsInterval
    /// IANA time zone the buckets follow (day, week and month boundaries, DST included).
    public var timeZone: String
    /// Whether bot clicks count in clicks, series and top lists (bot clicks are always
    /// reported separately).
    public var includeBots: Bool
    /// Entries per top list.
    public var top: Int

    /// The most buckets a series may have.
    public static let maximumBuckets = 10_000

    /// Creates a query.
    public init(
        scope: MetricsScope, from: Timestamp, to: Timestamp, interval: MetricsInterval = .day,
        timeZone: String = "UTC", includeBots: Bool = false, top: Int = 10
    ) {
        self.scope = scope
        self.from = from
        self.to = to
        self.interval = interval
        self.timeZone = timeZone
        self.includeBots = includeBots
        self.top = top
    }

    static let hour: Int64 = 3_600_000_000

    /// `from` rounded down to a whole UTC hour.
    public var firstHour: Timestamp {
        Timestamp(microsecondsSinceEpoch: Self.floor(from.microsecondsSinceEpoch, Self.hour))
    }

    /// `to` rounded up to a whole UTC hour.
    public var endHour: Timestamp {
        let floored = Self.floor(to.microsecondsSinceEpoch, Self.hour)
        return Timestamp(microsecondsSinceEpoch: floored == to.microsecondsSinceEpoch ? floored : floored + Self.hour)
    }

    /// The UTC days (days since 1970-01-01) the top lists cover: every day the range touches.
    var dayRange: ClosedRange<Int64> {
        let day: Int64 = 86_400_000_000
        return Self.floor(firstHour.microsecondsSinceEpoch, day) / day...Self.floor(endHour.microsecondsSinceEpoch - 1, day) / day
    }

    /// Zones that are UTC all year: their day, week and month buckets are whole UTC days.
    static let utcZones: Set<String> = [
        "UTC", "Etc/UTC", "Etc/UCT", "Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "Etc/Universal", "Etc/Zulu",
    ]

    /// Whether whole UTC days can be read from the daily rows (90 rows for 90 days instead
    /// of 2,160 hours): buckets of a day or longer in a zone that is always UTC.
    var usesDailyRows: Bool { interval != .hour && Self.utcZones.contains(timeZone) }

    /// The whole UTC days inside the range (days since 1970-01-01), possibly empty.
    var fullDays: Range<Int64> {
        let day: Int64 = 86_400_000_000
        let first = -Self.floor(-firstHour.microsecondsSinceEpoch, day) / day
        let end = Self.floor(endHour.microsecondsSinceEpoch, day) / day
        return first < end ? first..<end : 0..<0
    }

    /// Whether the top lists' days hold at least one whole calendar month.
    var spansAWholeMonth: Bool {
        let days = dayRange
        let first = Timestamp.civil(fromDays: days.lowerBound)
        let last = Timestamp.civil(fromDays: days.upperBound)
        // Months touched, less a partial first and a partial last one.
        let touched = (last.year - first.year) * 12 + (last.month - first.month) + 1
        let partialFirst: Int64 = first.day == 1 ? 0 : 1
        let partialLast: Int64 = Timestamp.civil(fromDays: days.upperBound + 1).day == 1 ? 0 : 1
        return touched - partialFirst - partialLast >= 1
    }

    /// An upper bound of the number of buckets.
    public var bucketEstimate: Int64 {
        (endHour.microsecondsSinceEpoch - firstHour.microsecondsSinceEpoch) / interval.approximateMicroseconds + 2
    }

    static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        let rest = value % unit
        return rest < 0 ? value - rest - unit : value - rest
    }
}

/// Aggregated clicks of a scope over a range, from the rollup tables only.
public struct MetricsReport: Sendable {
    /// Counts over the whole range.
    public struct Totals: Sendable, Hashable {
        /// Clicks counted (humans only unless bots are included).
        public var clicks: Int64
        /// Clicks by people.
        public var humanClicks: Int64
        /// Clicks by bots, always reported.
        public var botClicks: Int64
        /// Estimated distinct visitors of the counted clicks (hll).
        public var uniqueVisitors: Int64
    }

    /// One time-series bucket.
    public struct Bucket: Sendable, Hashable {
        /// The bucket's start.
        public var start: Timestamp
        /// The zone's UTC offset at `start`, in seconds.
        public var utcOffsetSeconds: Int
        /// Clicks counted (humans only unless bots are included).
        public var clicks: Int64
        /// Clicks by bots.
        public var botClicks: Int64
        /// Estimated distinct visitors of the counted clicks.
        public var uniqueVisitors: Int64
    }

    /// One entry of a top list.
    public struct Entry: Sendable, Hashable {
        /// The value; `""` is unknown (or, for referrers, direct traffic). A city is its
        /// country code and name joined by U+001F.
        public var value: String
        /// Clicks counted (for bot reasons: bot clicks).
        public var clicks: Int64
    }

    /// One entry of the top links.
    public struct LinkEntry: Sendable, Hashable {
        /// The link.
        public var id: EntityID
        /// Its short code.
        public var shortCode: String
        /// Clicks counted.
        public var clicks: Int64
    }

    /// The range actually counted (whole hours).
    public var from: Timestamp
    /// End of the range actually counted (exclusive).
    public var to: Timestamp
    /// Whole-range counts.
    public var totals: Totals
    /// Buckets from the one holding `from` to the one holding the end, empty ones as zeros.
    public var series: [Bucket]
    /// Top values per dimension, most clicks first.
    public var top: [MetricsDimension: [Entry]]
    /// Most clicked links of the scope (`nil` for a link's own report).
    public var topLinks: [LinkEntry]?
}
