public import LibPQ
public import ShortLinkCore
import Storage

/// `shortlinks seed --clicks N --links L --days D`: synthetic data for the metrics and
/// export benchmarks, loaded with COPY, then rolled up with the writer's own SQL
/// (`rollups rebuild` over the days it filled).
///
/// Shape (deterministic for a given `seed`): one staff user; a client per 100 links, a
/// campaign per 10 links; 50 tags, each link carrying one or two; clicks spread evenly in
/// time over the last D days, links drawn Zipf(1) (a few links get most clicks, as in real
/// traffic); 12 % bots with their reasons; 20 countries with 3 cities each; visitors
/// drawn from a pool of N/4.
public struct ClickSeeder: Sendable {
    let pool: PGPool

    /// What to create.
    public struct Plan: Sendable {
        public var clicks: Int
        public var links: Int
        public var days: Int
        public var end: Timestamp
        public var seed: UInt64

        public init(clicks: Int, links: Int, days: Int, end: Timestamp = .now(), seed: UInt64 = 42) {
            self.clicks = clicks
            self.links = links
            self.days = days
            self.end = end
            self.seed = seed
        }
    }

    /// A refusal (already seeded, bad sizes).
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Creates the seeder.
    /// - Parameter pool: a migrated database.
    public init(pool: PGPool) { self.pool = pool }

    static let codePrefix = "seed-"

    /// Loads the plan.
    /// - Parameters:
    ///   - plan: sizes.
    ///   - progress: one line per step.
    /// - Returns: summary lines.
    public func seed(_ plan: Plan, progress: @Sendable (String) -> Void) async throws -> [String] {
        guard plan.links > 0, plan.days > 0, plan.clicks >= 0 else {
            throw Refusal(description: "--links and --days must be positive, --clicks not negative")
        }
        let existing = try await SeedRepository(pool: pool).countLinks(codePrefix: Self.codePrefix)
        guard existing == 0 else {
            throw Refusal(description: "this database already holds \(existing) seeded links (codes seed-…); seed a fresh database")
        }
        var random = SplitMix64(seed: plan.seed)
        let linkIDs = try await createLinks(plan, random: &random)
        progress("created \(plan.links) links, \(Self.clientCount(plan)) clients, \(Self.campaignCount(plan)) campaigns, \(Self.tagCount) tags")

        let zipf = ZipfTable(count: plan.links)
        let start = plan.end.microsecondsSinceEpoch - Int64(plan.days) * 86_400_000_000
        let slice = Int64(86_400_000_000)
        var written = 0
        let started = Timestamp.now()
        for day in 0..<plan.days {
            let count = plan.clicks / plan.days + (day < plan.clicks % plan.days ? 1 : 0)
            let from = start + Int64(day) * slice
            var times = (0..<count).map { _ in from + Int64(random.next() % UInt64(slice)) }
            times.sort()
            let clicks = times.map { time in
                Self.click(time: time, link: linkIDs[zipf.draw(&random)], visitors: max(1, plan.clicks / 4), random: &random)
            }
            _ = try await PostgresClickStore(pool: pool).load(clicks)
            written += count
            let seconds = Double(Timestamp.now().microsecondsSinceEpoch - started.microsecondsSinceEpoch) / 1e6
            progress("day \(day + 1)/\(plan.days): \(written) clicks (\(Int(Double(written) / max(seconds, 0.001))) rows/s)")
        }
        let firstDay = start / slice
        let lastDay = (plan.end.microsecondsSinceEpoch - 1) / slice
        let rebuilt = try await RollupMaintenance(pool: pool).rebuild(days: firstDay...lastDay) { day, clicks in
            progress("rolled up \(ReportOperations.dateText(day)): \(clicks) clicks")
        }
        let seconds = Double(Timestamp.now().microsecondsSinceEpoch - started.microsecondsSinceEpoch) / 1e6
        return [
            "seeded \(written) clicks over \(plan.links) links and \(plan.days) days, rolled up \(rebuilt.days) UTC days "
                + "in \(Int(seconds)) s"
        ]
    }

    static let tagCount = 50
    static func clientCount(_ plan: Plan) -> Int { max(1, (plan.links + 99) / 100) }
    static func campaignCount(_ plan: Plan) -> Int { max(1, (plan.links + 9) / 10) }

    private func createLinks(_ plan: Plan, random: inout SplitMix64) async throws -> [EntityID] {
        let userID = EntityID.random(using: &random)
        let clients = (0..<Self.clientCount(plan)).map { _ in EntityID.random(using: &random) }
        let campaigns = (0..<Self.campaignCount(plan)).map { _ in EntityID.random(using: &random) }
        let tags = (0..<Self.tagCount).map { _ in EntityID.random(using: &random) }
        let links = (0..<plan.links).map { _ in EntityID.random(using: &random) }
        let suffix = String(plan.seed)
        var organisation = SeedRepository.Organisation(user: (userID, "seed-\(suffix)@example.com", "Seed user"))
        organisation.clients = clients.enumerated().map { ($0.element, "Seed client \($0.offset) (\(suffix))") }
        organisation.campaigns = campaigns.enumerated().map { index, id in
            (id, clients[index / 10 % clients.count], "Seed campaign \(index)")
        }
        organisation.tags = tags.enumerated().map { ($0.element, "seed-tag-\($0.offset) (\(suffix))") }
        for (index, id) in links.enumerated() {
            let campaign = index / 10
            organisation.links.append(
                (
                    id, "https://example.com/seed/\(index)", "\(Self.codePrefix)\(index)", clients[campaign / 10 % clients.count],
                    campaigns[campaign]
                ))
            organisation.linkTags.append((id, tags[index % Self.tagCount]))
            if index % 3 == 0 {
                // A second tag, never the first one: an offset of 1…49 modulo 50.
                let second = (index % Self.tagCount + 1 + (index / 3) % (Self.tagCount - 1)) % Self.tagCount
                organisation.linkTags.append((id, tags[second]))
            }
        }
        try await SeedRepository(pool: pool).load(organisation)
        return links
    }

    static let places: [(String, [String])] = [
        ("US", ["New York", "Chicago", "San Francisco"]), ("DE", ["Berlin", "Munich", "Hamburg"]),
        ("GB", ["London", "Manchester", "Leeds"]), ("FR", ["Paris", "Lyon", "Marseille"]),
        ("IN", ["Mumbai", "Delhi", "Bengaluru"]), ("BR", ["São Paulo", "Rio de Janeiro", "Recife"]),
        ("JP", ["Tokyo", "Osaka", "Sapporo"]), ("CA", ["Toronto", "Montréal", "Vancouver"]),
        ("ES", ["Madrid", "Barcelona", "Valencia"]), ("IT", ["Rome", "Milan", "Naples"]),
        ("NL", ["Amsterdam", "Rotterdam", "Utrecht"]), ("SE", ["Stockholm", "Gothenburg", "Malmö"]),
        ("PL", ["Warsaw", "Kraków", "Gdańsk"]), ("MX", ["Mexico City", "Guadalajara", "Monterrey"]),
        ("AU", ["Sydney", "Melbourne", "Perth"]), ("KR", ["Seoul", "Busan", "Incheon"]),
        ("NG", ["Lagos", "Abuja", "Kano"]), ("ZA", ["Johannesburg", "Cape Town", "Durban"]),
        ("TR", ["Istanbul", "Ankara", "Izmir"]), ("AR", ["Buenos Aires", "Córdoba", "Rosario"]),
    ]
    static let referrers: [String?] = [
        nil, nil, nil, nil, "https://www.google.com/", "https://t.co/abc", "https://www.facebook.com/",
        "https://news.ycombinator.com/item?id=1", "https://www.linkedin.com/feed/", "https://mail.example.org/inbox",
        "https://www.reddit.com/r/swift/", "https://duckduckgo.com/",
    ]
    static let humans: [(ua: String, device: String, browser: String, os: String)] = [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "desktop", "Chrome",
            "Windows"
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "mobile", "Safari", "iOS"
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "mobile",
            "Chrome", "Android"
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15", "desktop",
            "Safari", "macOS"
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "desktop", "Firefox", "Linux"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
            "tablet", "Safari", "iPadOS"
        ),
    ]
    static let bots: [(ua: String, reason: String)] = [
        ("curl/8.5.0", "library:curl"), ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "crawler:googlebot"),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "preview:slack"),
        ("python-requests/2.32.3", "library:python-requests"), ("facebookexternalhit/1.1", "preview:facebook"),
        ("Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0.0.0", "headless:chrome"),
    ]

    static func click(time: Int64, link: EntityID, visitors: Int, random: inout SplitMix64) -> StoredClick {
        let id = EntityID.version7(unixMilliseconds: UInt64(time / 1000), using: &random)
        let place = places[Int(random.next() % UInt64(places.count))]
        let known = random.next() % 10 != 0
        let isBot = random.next() % 100 < 12
        let visitor = Int64(bitPattern: (random.next() % UInt64(visitors)) &* 0x9E37_79B9_7F4A_7C15)
        let address = IPAddress(ipv4: 10 << 24 | UInt32(random.next() % 256) << 16 | UInt32(random.next() % 256) << 8)
        let at = Timestamp(microsecondsSinceEpoch: time)
        if isBot {
            let bot = bots[Int(random.next() % UInt64(bots.count))]
            return StoredClick(
                id: id, linkID: link, timestamp: at, ipAddress: address, userAgent: bot.ua, referrer: nil,
                country: known ? place.0 : nil, city: nil, verdict: .bot(bot.reason), device: "bot", browser: nil, os: nil,
                visitorHash: visitor)
        }
        let human = humans[Int(random.next() % UInt64(humans.count))]
        let city = known ? place.1[Int(random.next() % 3)] : nil
        return StoredClick(
            id: id, linkID: link, timestamp: at, ipAddress: address, userAgent: human.ua,
            referrer: referrers[Int(random.next() % UInt64(referrers.count))], country: known ? place.0 : nil, city: city,
            verdict: .human, device: human.device, browser: human.browser, os: human.os, visitorHash: visitor)
    }
}

/// Draws indexes 0..<count with probability proportional to 1/(index+1).
struct ZipfTable {
    let cumulative: [Double]

    init(count: Int) {
        var total = 0.0
        cumulative = (0..<count).map { index in
            total += 1.0 / Double(index + 1)
            return total
        }
    }

    func draw(_ random: inout SplitMix64) -> Int {
        let target = Double(random.next() >> 11) / Double(UInt64(1) << 53) * (cumulative.last ?? 0)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
