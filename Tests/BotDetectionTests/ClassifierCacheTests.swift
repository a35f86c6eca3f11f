import BotDetection
import ShortLinkCore
import Testing

/// The user-agent part of a verdict is cached; the cache never changes an answer.
@Suite struct ClassifierCacheTests {
    private let userAgents =
        UserAgentFixtures.browsers + UserAgentFixtures.inAppBrowsers + ["curl/8.4.0", "Twitterbot/1.0", "AcmeSyncService/3.1", ""]

    @Test func userAgentReason_whenCached_equalsUncached() {
        let classifier = BotClassifier(rules: .builtIn)
        for userAgent in userAgents {
            let first = classifier.userAgentReason(userAgent)
            let second = classifier.userAgentReason(userAgent)
            #expect(first == second)
            #expect(first == classifier.uncachedReason(userAgent))
        }
    }

    @Test func classify_whenCacheIsTiny_answersStayTheSame() {
        let tiny = BotClassifier(rules: .builtIn, cacheCapacity: 1)
        let reference = BotClassifier(rules: .builtIn)
        for _ in 0..<3 {
            for userAgent in userAgents {
                let input = ClassificationInput(userAgent: userAgent)
                #expect(tiny.classify(input) == reference.classify(input))
            }
        }
    }

    @Test func classify_whenSameUserAgentWithDifferentRequests_onlyUserAgentPartIsShared() {
        let classifier = BotClassifier(rules: .builtIn)
        let userAgent = UserAgentFixtures.chromeWindows
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .human)
        #expect(classifier.classify(ClassificationInput(method: .head, userAgent: userAgent)) == .bot("method:head"))
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent, xPurpose: "preview")) == .bot("prefetch:x-purpose"))
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .human)
    }

    @Test func classify_fromManyTasks_givesTheSameAnswers() async {
        let classifier = BotClassifier(rules: .builtIn, cacheCapacity: 8)
        let userAgents = self.userAgents
        let expected = userAgents.map { classifier.uncachedReason($0) }
        let results = await withTaskGroup(of: [String?].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<20).flatMap { _ in userAgents.map { classifier.userAgentReason($0) } } }
            }
            return await group.reduce(into: [[String?]]()) { $0.append($1) }
        }
        for result in results {
            #expect(result == Array((0..<20).map { _ in expected }.joined()))
        }
    }

    @Test func parse_whenCached_equalsUncached() {
        let parser = UserAgentParser(cacheCapacity: 4)
        for _ in 0..<2 {
            for userAgent in userAgents {
                #expect(parser.parse(userAgent) == parser.uncachedParse(userAgent))
            }
        }
    }
}
