import Foundation
import ShortLinkCore
import Storage

/// The query parameters of the metrics endpoints, checked: unknown parameters and bad
/// values are a 400 naming each one.
///
/// Defaults: `to` now, `from` 30 days before `to`, `interval=day`, `tz=UTC`,
/// `includeBots=false`, `top=10`.
struct MetricsParameters {
    static let known: Set<String> = ["from", "to", "interval", "tz", "includeBots", "top"]
    static let defaultSpanSeconds: Int64 = 30 * 86_400
    static let maximumTop = 100

    var query: MetricsQuery

    init(_ parameters: [(String, String)], scope: MetricsScope, now: Timestamp = .now()) throws(APIError) {
        var errors: [FieldError] = []
        var values: [String: String] = [:]
        for (name, value) in parameters {
            if !Self.known.contains(name) {
                errors.append(FieldError(field: name, code: "unknown_parameter", message: "is not a known query parameter"))
            }
            values[name] = value
        }
        func time(_ name: String) -> Timestamp? {
            guard let text = values[name] else { return nil }
            guard let time = ISO8601.parse(text) else {
                errors.append(FieldError(field: name, code: "format", message: "must be an RFC 3339 time or a date (2026-11-22)"))
                return nil
            }
            return time
        }
        let parsedFrom = time("from")
        let parsedTo = time("to")
        let to = parsedTo ?? (parsedFrom.map { min(now, $0.adding(seconds: Self.defaultSpanSeconds)) } ?? now)
        let from = parsedFrom ?? to.adding(seconds: -Self.defaultSpanSeconds)
        if values["from"] != nil || values["to"] != nil, errors.isEmpty, from >= to {
            errors.append(FieldError(field: "from", code: "range", message: "must be before to"))
        }
        var interval = MetricsInterval.day
        if let text = values["interval"] {
            if let parsed = MetricsInterval(rawValue: text) {
                interval = parsed
            } else {
                errors.append(FieldError(field: "interval", code: "format",
                    message: "must be one of " + MetricsInterval.allCases.map(\.rawValue).joined(separator: ", ")))
            }
        }
        let zone = values["tz"] ?? "UTC"
        if values["tz"] != nil, !Self.isTimeZone(zone) {
            errors.append(FieldError(field: "tz", code: "unknown_time_zone", message: "must be an IANA time zone such as Europe/Berlin"))
        }
        var includeBots = false
        if let text = values["includeBots"] {
            switch text {
            case "true", "1": includeBots = true
            case "false", "0": includeBots = false
            default: errors.append(FieldError(field: "includeBots", code: "format", message: "must be true or false"))
            }
        }
        var top = 10
        if let text = values["top"] {
            if let parsed = Int(text), (1...Self.maximumTop).contains(parsed) {
                top = parsed
            } else {
                errors.append(FieldError(field: "top", code: "range", message: "must be an integer from 1 to \(Self.maximumTop)"))
            }
        }
        let query = MetricsQuery(
            scope: scope, from: from, to: to, interval: interval, timeZone: zone, includeBots: includeBots, top: top)
        if errors.isEmpty, query.bucketEstimate > Int64(MetricsQuery.maximumBuckets) {
            errors.append(FieldError(field: "interval", code: "too_many_buckets",
                message: "gives more than \(MetricsQuery.maximumBuckets) buckets for this range; use a longer interval"))
        }
        guard errors.isEmpty else {
            throw APIError(.invalidRequest, "invalid query parameter(s): " + errors.map(\.field).joined(separator: ", "), errors: errors)
        }
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
