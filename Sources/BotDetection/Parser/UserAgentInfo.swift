/// What a user agent says about the visitor's device, operating system and browser, in
/// Matomo device-detector's naming (`smartphone`, `Android`, `Chrome Mobile`).
public struct UserAgentInfo: Sendable, Hashable {
    /// The device kind; `nil` when the user agent does not tell.
    public var deviceType: DeviceType?
    /// The operating system, e.g. `Android`, `iOS`, `Windows`, `GNU/Linux`; `nil` when unknown.
    public var os: String?
    /// The browser, e.g. `Chrome Mobile`, `Mobile Safari`, `Samsung Browser`; `nil` when unknown.
    public var browser: String?

    /// Creates an info value.
    /// - Parameters:
    ///   - deviceType: the device kind; default `nil`.
    ///   - os: the operating system; default `nil`.
    ///   - browser: the browser; default `nil`.
    public init(deviceType: DeviceType? = nil, os: String? = nil, browser: String? = nil) {
        self.deviceType = deviceType
        self.os = os
        self.browser = browser
    }

    /// Nothing known.
    public static let unknown = UserAgentInfo()
}
