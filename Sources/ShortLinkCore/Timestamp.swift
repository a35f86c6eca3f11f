#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point in time with microsecond precision (what Postgres `timestamptz` stores).
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// Creates a time stamp.
    /// - Parameter microsecondsSinceEpoch: microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The current wall-clock time.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000)
    }

    /// Milliseconds since the Unix epoch (rounded down).
    public var unixMilliseconds: Int64 {
        microsecondsSinceEpoch >= 0
            ? microsecondsSinceEpoch / 1_000
            : (microsecondsSinceEpoch - 999) / 1_000
    }

    /// This time stamp moved by a number of seconds.
    /// - Parameter seconds: may be negative.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + seconds * 1_000_000)
    }

    /// ISO 8601 in UTC with microseconds, e.g. `2026-11-22T10:04:05.123456Z`.
    public var iso8601: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(27)
        appendISO8601(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``iso8601``'s bytes without building a `String` (the click writer's COPY
    /// encoding does this for every row).
    /// - Parameter buffer: the output.
    public func appendISO8601(to buffer: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var days = microsecondsSinceEpoch / perDay
        var rest = microsecondsSinceEpoch % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (year, month, day) = Self.civil(fromDays: days)
        let seconds = rest / 1_000_000
        if (0...9999).contains(year) {
            Self.appendDigits(year, 4, to: &buffer)
        } else {
            buffer.append(contentsOf: Self.pad(year, 4).utf8)
        }
        buffer.append(UInt8(ascii: "-"))
        Self.appendDigits(month, 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        Self.appendDigits(day, 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        Self.appendDigits(seconds / 3600, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendDigits(seconds / 60 % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        Self.appendDigits(seconds % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        Self.appendDigits(rest % 1_000_000, 6, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    /// The same as ``iso8601``.
    public var description: String { iso8601 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian calendar).
    public static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value` (non-negative, below 10^width) as exactly `width` digits.
    private static func appendDigits(_ value: Int64, _ width: Int, to buffer: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
