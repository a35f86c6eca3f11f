public import BotDetection
public import GeoIPLookup
public import ShortLinkCore

/// Turns a captured event into the row that is stored: bot verdict, GeoIP on the full
/// address, device/browser/OS, visitor hash, then the address anonymised when configured.
///
/// Runs on the writer, never on an event loop. The classifier and parser cache per UA.
public struct ClickEnricher: Sendable {
    private let classifier: BotClassifier
    private let parser: UserAgentParser
    private let geo: any GeoLocating
    private let anonymizeAddresses: Bool

    /// - Parameters:
    ///   - classifier: the bot classifier.
    ///   - parser: the user-agent parser.
    ///   - geo: the GeoIP database (or `.disabled`).
    ///   - anonymizeAddresses: store IPv4 as /24 and IPv6 as /48 (after the lookup).
    public init(classifier: BotClassifier, parser: UserAgentParser, geo: any GeoLocating, anonymizeAddresses: Bool) {
        self.classifier = classifier
        self.parser = parser
        self.geo = geo
        self.anonymizeAddresses = anonymizeAddresses
    }

    /// Enriches one event.
    /// - Parameters:
    ///   - event: as captured.
    ///   - hasher: the visitor hasher of the event's day.
    public func enrich(_ event: ClickEvent, hasher: VisitorHasher) -> StoredClick {
        let verdict = classifier.classify(ClassificationInput(event: event))
        let location = event.clientIP.flatMap { geo.lookup($0) }
        let agent = event.userAgent.flatMap { $0.isEmpty ? nil : parser.parse($0) }
        let stored = event.clientIP.map { address in
            anonymizeAddresses ? address.masked(toPrefix: address.isIPv4 ? 24 : 48) : address
        }
        return StoredClick(
            id: event.id, linkID: event.linkID, timestamp: event.timestamp, ipAddress: stored,
            userAgent: event.userAgent, referrer: event.referer, country: location?.countryCode,
            city: location?.city, verdict: verdict, device: agent?.deviceType?.rawValue,
            browser: agent?.browser, os: agent?.os,
            visitorHash: hasher.hash(address: event.clientIP, userAgent: event.userAgent))
    }
}
