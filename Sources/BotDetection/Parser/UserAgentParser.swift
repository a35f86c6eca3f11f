/// Reads a user agent's device type, operating system and browser, in Matomo
/// device-detector's naming, without regular expressions.
///
/// The detectors register the words they look for in one lexicon; a user agent is lowercased
/// and scanned once, then the detectors answer from that scan and from the Android device
/// model. Results are cached per user-agent string (bounded). Thread-safe.
public final class UserAgentParser: Sendable {
    private let matcher: PatternMatcher
    private let operatingSystems: OperatingSystemDetector
    private let browsers: BrowserDetector
    private let devices: DeviceTypeDetector
    private let cache: ShardedCache<UserAgentInfo>

    /// Creates a parser.
    /// - Parameter cacheCapacity: the most user agents whose result is kept; default 65,536.
    public init(cacheCapacity: Int = 65_536) {
        var lexicon = TokenLexicon()
        operatingSystems = OperatingSystemDetector(lexicon: &lexicon)
        browsers = BrowserDetector(lexicon: &lexicon)
        devices = DeviceTypeDetector(lexicon: &lexicon)
        matcher = lexicon.matcher()
        cache = ShardedCache(capacity: cacheCapacity)
    }

    /// The device type, operating system and browser of a user agent. Cached.
    /// - Parameter userAgent: the `User-Agent` header.
    public func parse(_ userAgent: String) -> UserAgentInfo {
        cache.value(for: userAgent) { uncachedParse(userAgent) }
    }

    /// The same as ``parse(_:)`` without the cache (for measurements and tests).
    /// - Parameter userAgent: the `User-Agent` header.
    public func uncachedParse(_ userAgent: String) -> UserAgentInfo {
        let bytes = ASCII.trimmedLowercase(userAgent)
        guard !bytes.isEmpty else { return .unknown }
        return bytes.withUnsafeBufferPointer { bytes in
            let text = UserAgentText(bytes: bytes, matcher: matcher)
            let os = operatingSystems.name(of: text)
            return UserAgentInfo(
                deviceType: devices.type(of: text, os: os), os: os, browser: browsers.name(of: text, os: os))
        }
    }
}
