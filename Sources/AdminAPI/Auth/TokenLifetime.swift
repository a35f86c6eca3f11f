public import ShortLinkCore

/// How long a new API token lives: `expiresIn` as a duration (`90s`, `45m`, `12h`, `30d`,
/// `8w`, or plain seconds) or `expiresAt` as an RFC 3339 time, both bounded to
/// ``maximumSeconds`` from now so the expiry always fits the database.
public enum TokenLifetime {
    /// The longest lifetime a token may be given: ten years.
    public static let maximumSeconds: Int64 = 10 * 366 * 86_400
    /// The shortest: one minute (a token that expires before it can be used helps nobody).
    public static let minimumSeconds: Int64 = 60

    /// Seconds in a duration text, or `nil` when it is not one (or out of range).
    /// - Parameter text: digits with an optional unit `s`, `m`, `h`, `d` or `w`.
    public static func seconds(_ text: String) -> Int64? {
        guard let last = text.last else { return nil }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        let unit = units[last]
        let digits = unit == nil ? Substring(text) : text.dropLast()
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let count = Int64(digits)
        else { return nil }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: unit ?? 1)
        return overflow ? nil : seconds
    }

    /// Why a lifetime is refused, or `nil` when it is fine.
    /// - Parameter seconds: the lifetime.
    public static func problem(seconds: Int64) -> String? {
        if seconds < minimumSeconds { return "must be at least \(minimumSeconds) seconds" }
        if seconds > maximumSeconds { return "must be at most ten years" }
        return nil
    }

    /// The expiry for a lifetime given as `expiresIn` (duration) or `expiresAt` (time), at most one.
    /// - Parameters:
    ///   - expiresIn: a duration text, or `nil`.
    ///   - expiresAt: an RFC 3339 time, or `nil`.
    ///   - now: the current time.
    /// - Returns: the expiry (`nil`: never), or the failure as (which field, message).
    public static func expiry(
        expiresIn: String?, expiresAt: String?, now: Timestamp
    ) -> Result<Timestamp?, LifetimeError> {
        switch (expiresIn, expiresAt) {
        case (nil, nil):
            return .success(nil)
        case (.some, .some):
            return .failure(LifetimeError(field: "expiresIn", message: "give expiresIn or expiresAt, not both"))
        case (.some(let text), nil):
            guard let seconds = seconds(text) else {
                return .failure(LifetimeError(field: "expiresIn", message: "must be a duration such as 3600, 90m, 12h, 30d or 8w"))
            }
            if let problem = problem(seconds: seconds) { return .failure(LifetimeError(field: "expiresIn", message: problem)) }
            return .success(now.adding(seconds: seconds))
        case (nil, .some(let text)):
            guard let time = ISO8601.parse(text) else {
                return .failure(LifetimeError(field: "expiresAt", message: "must be an RFC 3339 time, e.g. 2026-12-31T23:59:59Z"))
            }
            let seconds = (time.microsecondsSinceEpoch - now.microsecondsSinceEpoch) / 1_000_000
            if seconds < minimumSeconds { return .failure(LifetimeError(field: "expiresAt", message: "must be at least a minute in the future")) }
            if seconds > maximumSeconds { return .failure(LifetimeError(field: "expiresAt", message: "must be at most ten years ahead")) }
            return .success(time)
        }
    }

    /// A refused lifetime: the field and why.
    public struct LifetimeError: Error, Sendable, Equatable {
        /// `expiresIn` or `expiresAt`.
        public var field: String
        /// What is wrong, without echoing the value.
        public var message: String
    }
}
