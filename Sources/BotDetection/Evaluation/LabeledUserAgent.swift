/// A user agent with the device type, operating system and browser it should parse to
/// (Matomo's names; empty when the label says "unknown").
public struct LabeledUserAgent: Sendable, Hashable {
    /// The user agent.
    public var userAgent: String
    /// Expected device type, e.g. `smartphone`.
    public var deviceType: String
    /// Expected operating system, e.g. `Android`.
    public var os: String
    /// Expected browser, e.g. `Chrome Mobile`.
    public var browser: String

    /// Creates a labeled user agent.
    /// - Parameters:
    ///   - userAgent: the user agent.
    ///   - deviceType: the expected device type; default empty (unknown).
    ///   - os: the expected operating system; default empty (unknown).
    ///   - browser: the expected browser; default empty (unknown).
    public init(userAgent: String, deviceType: String = "", os: String = "", browser: String = "") {
        self.userAgent = userAgent
        self.deviceType = deviceType
        self.os = os
        self.browser = browser
    }
}
