import ShortLinkCore

/// How well the classifier and the parser do on a corpus: known bots, known people, people
/// in in-app browsers, and user agents labeled with their device, OS and browser.
///
/// Pure arithmetic over strings: reading the corpus files is the caller's job.
public struct CorpusEvaluation: Sendable, Hashable {
    /// Targets the rules are held to.
    public enum Target {
        /// At least this share of bots detected.
        public static let botsDetected = 0.99
        /// At most this share of people flagged.
        public static let humansFlagged = 0.003
        /// At most this share of in-app browsers flagged.
        public static let inAppFlagged = 0.01
        /// At least this share right on each labeled field.
        public static let labeledCorrect = 0.90
    }

    /// Bot user agents evaluated.
    public var botsTotal: Int
    /// Of those, classified as bots.
    public var botsDetected: Int
    /// People's user agents evaluated.
    public var humansTotal: Int
    /// Of those, wrongly classified as bots.
    public var humansFlagged: Int
    /// In-app browser user agents evaluated.
    public var inAppTotal: Int
    /// Of those, wrongly classified as bots.
    public var inAppFlagged: Int
    /// Labeled user agents evaluated.
    public var labeledTotal: Int
    /// Of those, with the right device type.
    public var deviceCorrect: Int
    /// Of those, with the right operating system.
    public var osCorrect: Int
    /// Of those, with the right browser.
    public var browserCorrect: Int

    /// Creates an evaluation from its counts.
    /// - Parameters:
    ///   - botsTotal: bots evaluated.
    ///   - botsDetected: bots detected.
    ///   - humansTotal: people evaluated.
    ///   - humansFlagged: people flagged.
    ///   - inAppTotal: in-app browsers evaluated.
    ///   - inAppFlagged: in-app browsers flagged.
    ///   - labeledTotal: labeled user agents evaluated.
    ///   - deviceCorrect: right device types.
    ///   - osCorrect: right operating systems.
    ///   - browserCorrect: right browsers.
    public init(
        botsTotal: Int = 0, botsDetected: Int = 0, humansTotal: Int = 0, humansFlagged: Int = 0, inAppTotal: Int = 0,
        inAppFlagged: Int = 0, labeledTotal: Int = 0, deviceCorrect: Int = 0, osCorrect: Int = 0, browserCorrect: Int = 0
    ) {
        self.botsTotal = botsTotal
        self.botsDetected = botsDetected
        self.humansTotal = humansTotal
        self.humansFlagged = humansFlagged
        self.inAppTotal = inAppTotal
        self.inAppFlagged = inAppFlagged
        self.labeledTotal = labeledTotal
        self.deviceCorrect = deviceCorrect
        self.osCorrect = osCorrect
        self.browserCorrect = browserCorrect
    }

    /// Evaluates a classifier and a parser. Every user agent is classified as a GET with no
    /// prefetch headers and no client address, so only the user-agent rules decide.
    /// - Parameters:
    ///   - bots: user agents of bots.
    ///   - humans: user agents of people.
    ///   - inAppHumans: user agents of people in in-app browsers.
    ///   - labeled: user agents with their expected device type, OS and browser.
    ///   - classifier: the classifier under test.
    ///   - parser: the parser under test.
    public init(
        bots: [String], humans: [String], inAppHumans: [String], labeled: [LabeledUserAgent],
        classifier: BotClassifier, parser: UserAgentParser
    ) {
        func isBot(_ userAgent: String) -> Bool {
            classifier.classify(ClassificationInput(method: .get, userAgent: userAgent)).isBot
        }
        func same(_ value: String?, _ label: String) -> Bool {
            (value ?? "").lowercased() == label.lowercased()
        }
        self.init(
            botsTotal: bots.count, botsDetected: bots.count(where: isBot),
            humansTotal: humans.count, humansFlagged: humans.count(where: isBot),
            inAppTotal: inAppHumans.count, inAppFlagged: inAppHumans.count(where: isBot),
            labeledTotal: labeled.count)
        for record in labeled {
            let info = parser.parse(record.userAgent)
            if same(info.deviceType?.rawValue, record.deviceType) { deviceCorrect += 1 }
            if same(info.os, record.os) { osCorrect += 1 }
            if same(info.browser, record.browser) { browserCorrect += 1 }
        }
    }

    /// Share of bots detected (0 when there are none).
    public var botDetectionRate: Double { Self.rate(botsDetected, botsTotal) }
    /// Share of people flagged.
    public var humanFlagRate: Double { Self.rate(humansFlagged, humansTotal) }
    /// Share of in-app browsers flagged.
    public var inAppFlagRate: Double { Self.rate(inAppFlagged, inAppTotal) }
    /// Share of labeled user agents with the right device type.
    public var deviceAccuracy: Double { Self.rate(deviceCorrect, labeledTotal) }
    /// Share with the right operating system.
    public var osAccuracy: Double { Self.rate(osCorrect, labeledTotal) }
    /// Share with the right browser.
    public var browserAccuracy: Double { Self.rate(browserCorrect, labeledTotal) }

    /// Whether every ``Target`` is met.
    public var meetsTargets: Bool {
        botDetectionRate >= Target.botsDetected && humanFlagRate <= Target.humansFlagged
            && inAppFlagRate <= Target.inAppFlagged && deviceAccuracy >= Target.labeledCorrect
            && osAccuracy >= Target.labeledCorrect && browserAccuracy >= Target.labeledCorrect
    }

    /// The counts as one JSON line:
    /// `{"bots":{"total":N,"detected":N},"humans":{"total":N,"flagged":N},"inapp":{"total":N,"flagged":N},"labeled":{"total":N,"device":N,"os":N,"browser":N}}`.
    public var jsonLine: String {
        "{\"bots\":{\"total\":\(botsTotal),\"detected\":\(botsDetected)},"
            + "\"humans\":{\"total\":\(humansTotal),\"flagged\":\(humansFlagged)},"
            + "\"inapp\":{\"total\":\(inAppTotal),\"flagged\":\(inAppFlagged)},"
            + "\"labeled\":{\"total\":\(labeledTotal),\"device\":\(deviceCorrect),\"os\":\(osCorrect),\"browser\":\(browserCorrect)}}"
    }

    private static func rate(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
