import Foundation
import ShortLinkCore
import Storage

/// The query parameters of the metrics endpoints, checked: unknown parameters, bad values
/// and a parameter given twice are a 400 naming each one.
///
/// Defaults: `to` now, `from` 30 days before `to`, `interval=day`, `tz=UTC`,
/// `includeBots=false`, `top=10`.
struct MetricsParameters {
    static let known: Set<String> = ["from", "to", "interval", "tz", "includeBots", "top"]
    static let defaultSpanSeconds: Int64 = 30 * 86_400
    static let maximumTop = 100

    var query: MetricsQuery

    init(_ parameters: [(String, String)], scope: MetricsScope, now: Timestamp = .now()) throws(APIError) {
        var reader = QueryReader(parameters, known: Self.known)
        let parsedFrom = reader.time("from")
        let parsedTo = reader.time("to")
        // `to` is now unless given, whether or not `from` is (README, OpenAPI): a `from` alone
        // means "since then".
        let to = parsedTo ?? now
        let from = parsedFrom ?? to.adding(seconds: -Self.defaultSpanSeconds)
        if reader.values["from"] != nil || reader.values["to"] != nil, reader.errors.isEmpty, from >= to {
            reader.fail("from", "range", "must be before to")
        }
        var interval = MetricsInterval.day
        if let text = reader.values["interval"] {
            if let parsed = MetricsInterval(rawValue: text) {
                interval = parsed
            } else {
                reader.fail("interval", "format", "must be one of " + MetricsInterval.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }
        let zone = reader.values["tz"] ?? "UTC"
        if reader.values["tz"] != nil, !Self.isTimeZone(zone) {
            reader.fail("tz", "unknown_time_zone", "must be an IANA time zone such as Europe/Berlin")
        }
        let includeBots = reader.bool("includeBots") ?? false
        var top = 10
        if let text = reader.values["top"] {
            if let parsed = Int(text), (1...Self.maximumTop).contains(parsed) {
                top = parsed
            } else {
                reader.fail("top", "range", "must be an integer from 1 to \(Self.maximumTop)")
            }
        }
        let query = MetricsQuery(
            scope: scope, from: from, to: to, interval: interval, timeZone: zone, includeBots: includeBots, top: top)
        if reader.errors.isEmpty, query.bucketEstimate > Int64(MetricsQuery.maximumBuckets) {
            reader.fail(
                "interval", "too_many_buckets",
                "gives more than \(MetricsQuery.maximumBuckets) buckets for this range; use a longer interval")
        }
        try reader.finish()
        self.query = query
    }

    /// Whether `name` is a time zone of the system's database (the one Postgres reads too).
    /// Only IANA names of the `Area/Location` form, `UTC` and `Etc/…` are accepted.
    static func isTimeZone(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 64,
            name.utf8.allSatisfy({ byte in
                (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
                    || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "+")
            }),
            name == "UTC" || name.contains("/")
        else { return false }
        return TimeZone(identifier: name) != nil
    }
}
