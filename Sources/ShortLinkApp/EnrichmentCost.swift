public import BotDetection
import ClickPipeline
import GeoIPLookup
import ShortLinkCore
import Storage

/// `shortlinks measure-enrichment`: what the click writer's work inside the process costs
/// per click, stage by stage, on clicks made from real user agents (issue 16: "measure and
/// report the in-process cost per click").
///
/// Every stage runs over the same clicks in a loop of its own, after one pass that fills
/// the classifier's and parser's per-user-agent caches (a live writer sees the same agents
/// again and again). `enrich` is the writer's own call, all stages together; `COPY
/// encoding` turns the enriched rows into the bytes the writer sends.
public struct EnrichmentCost: Sendable {
    /// One stage and its cost.
    public struct Stage: Sendable, Equatable {
        /// What was timed.
        public var name: String
        /// Mean microseconds per click.
        public var microsecondsPerClick: Double
    }

    private let classifier: BotClassifier
    private let parser: UserAgentParser
    private let geo: any GeoLocating

    /// - Parameters:
    ///   - rules: the bot rules (the built-in ones unless configured otherwise).
    ///   - geoIPDatabase: the GeoIP database to look addresses up in; `nil`: GeoIP off.
    /// - Throws: ``AppError`` when the GeoIP database cannot be opened.
    public init(rules: BotRules = .builtIn, geoIPDatabase: String?) throws {
        classifier = BotClassifier(rules: rules)
        parser = UserAgentParser()
        if let geoIPDatabase {
            do {
                geo = try GeoIPLookup(path: geoIPDatabase)
            } catch {
                throw AppError(code: .invalidInput, message: "\(error)")
            }
        } else {
            geo = DisabledGeoLocator()
        }
    }

    /// Times each stage over `clicks` clicks: user agents drawn from `humans` (88 %) and
    /// `bots` (12 %, the share `shortlinks seed` uses), random IPv4 addresses, one of five
    /// referrers or none, over `links` links.
    /// - Returns: the stages in the writer's order, then `enrich` and `COPY encoding`.
    public func measure(humans: [String], bots: [String], clicks: Int, links: Int = 100_000, seed: UInt64 = 16) -> [Stage] {
        precondition(!humans.isEmpty && clicks > 0, "measure needs people's user agents and at least one click")
        var random = SplitMix64(seed: seed)
        let linkIDs = (0..<max(1, links)).map { _ in EntityID.random(using: &random) }
        let referrers: [String?] = [nil, nil, "https://www.google.com/", "https://t.co/abc", "https://news.example/a?b=c", nil]
        let start = Timestamp.now().microsecondsSinceEpoch
        let events = (0..<clicks).map { index -> ClickEvent in
            let agent =
                bots.isEmpty || random.next() % 100 >= 12
                ? humans[Int(random.next() % UInt64(humans.count))]
                : bots[Int(random.next() % UInt64(bots.count))]
            let time = start + Int64(index)
            return ClickEvent(
                id: EntityID.version7(unixMilliseconds: UInt64(time / 1000), using: &random),
                linkID: linkIDs[Int(random.next() % UInt64(linkIDs.count))],
                timestamp: Timestamp(microsecondsSinceEpoch: time),
                clientIP: IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next())), method: .get, userAgent: agent,
                referer: referrers[Int(random.next() % UInt64(referrers.count))], acceptLanguage: "en-US,en;q=0.9")
        }
        let hasher = VisitorHasher(salt: (0..<16).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        let enricher = ClickEnricher(classifier: classifier, parser: parser, geo: geo, anonymizeAddresses: true)
        // Warm the per-user-agent caches, as a running writer has them.
        for event in events {
            _ = classifier.classify(ClassificationInput(event: event))
            if let agent = event.userAgent { _ = parser.parse(agent) }
        }
        var sink = 0
        var stages: [Stage] = []
        func time(_ name: String, _ body: () -> Void) {
            let elapsed = ContinuousClock().measure(body)
            let (seconds, attoseconds) = elapsed.components
            stages.append(Stage(name: name, microsecondsPerClick: (Double(seconds) * 1e6 + Double(attoseconds) / 1e12) / Double(clicks)))
        }
        time("bot verdict (cached per user agent)") {
            for event in events where classifier.classify(ClassificationInput(event: event)).isBot { sink &+= 1 }
        }
        time("user-agent parse (cached)") {
            for event in events where event.userAgent.map({ parser.parse($0).os != nil }) == true { sink &+= 1 }
        }
        time("GeoIP lookup") {
            for event in events where event.clientIP.flatMap({ geo.lookup($0) }) != nil { sink &+= 1 }
        }
        time("visitor hash") {
            for event in events { sink &+= Int(truncatingIfNeeded: hasher.hash(address: event.clientIP, userAgent: event.userAgent)) }
        }
        time("address anonymised") {
            for event in events where event.clientIP?.masked(toPrefix: 24).isIPv4 == true { sink &+= 1 }
        }
        var stored: [StoredClick] = []
        stored.reserveCapacity(clicks)
        time("enrich (all of the above, the writer's call)") {
            for event in events { stored.append(enricher.enrich(event, hasher: hasher)) }
        }
        time("COPY encoding") { sink &+= PostgresClickStore.encode(stored).count }
        // The rollup groups the writers sum in memory (rollups.inMemory), in write-sized
        // batches, then what a cycle does with them: take and encode. Timed in the second
        // cycle, as a running process does it (the first one sized the tables).
        let accumulator = RollupAccumulator(capacity: .max)
        func accumulate() {
            for (index, start) in stride(from: 0, to: stored.count, by: 5_000).enumerated() {
                accumulator.add(batch: Int64(index), clicks: Array(stored[start..<min(start + 5_000, stored.count)]))
            }
        }
        accumulate()
        sink &+= accumulator.take().clicks
        time("rollup groups: add") { accumulate() }
        var groups = RollupGroups()
        time("rollup groups: take and encode") {
            groups = accumulator.take()
            sink &+= groups.encodeHours().count + groups.encodeDimensions().count
        }
        withExtendedLifetime(sink) {}
        return stages
    }
}
