import BotDetection
import Testing

/// Counting and rates of a corpus evaluation.
@Suite struct CorpusEvaluationTests {
    @Test func evaluate_countsDetectionsFlagsAndRightLabels() {
        let evaluation = CorpusEvaluation(
            bots: ["curl/8.4.0", "Twitterbot/1.0", UserAgentFixtures.chromeWindows],
            humans: [UserAgentFixtures.safariIPhone, "python-requests/2.31.0"],
            inAppHumans: UserAgentFixtures.inAppBrowsers.prefix(2).map { $0 },
            labeled: [
                LabeledUserAgent(userAgent: UserAgentFixtures.safariIPhone, deviceType: "smartphone", os: "ios", browser: "MOBILE SAFARI"),
                LabeledUserAgent(userAgent: UserAgentFixtures.chromeWindows, deviceType: "tablet", os: "Windows", browser: "Firefox"),
                LabeledUserAgent(userAgent: "", deviceType: "", os: "", browser: ""),
            ],
            classifier: BotClassifier(rules: .builtIn), parser: UserAgentParser())
        #expect(
            evaluation
                == CorpusEvaluation(
                    botsTotal: 3, botsDetected: 2, humansTotal: 2, humansFlagged: 1, inAppTotal: 2, inAppFlagged: 0,
                    labeledTotal: 3, deviceCorrect: 2, osCorrect: 3, browserCorrect: 2))
    }

    @Test func rates_andTargets_followTheCounts() {
        let passing = CorpusEvaluation(
            botsTotal: 200, botsDetected: 198, humansTotal: 1000, humansFlagged: 3, inAppTotal: 100, inAppFlagged: 1,
            labeledTotal: 10, deviceCorrect: 9, osCorrect: 10, browserCorrect: 9)
        #expect(passing.botDetectionRate == 0.99)
        #expect(passing.humanFlagRate == 0.003)
        #expect(passing.inAppFlagRate == 0.01)
        #expect(passing.deviceAccuracy == 0.9)
        #expect(passing.meetsTargets)
        var failing = passing
        failing.humansFlagged = 4
        #expect(!failing.meetsTargets)
        #expect(CorpusEvaluation().botDetectionRate == 0)
    }

    @Test func jsonLine_hasTheAgreedShape() {
        let evaluation = CorpusEvaluation(
            botsTotal: 5, botsDetected: 4, humansTotal: 6, humansFlagged: 1, inAppTotal: 2, inAppFlagged: 0,
            labeledTotal: 3, deviceCorrect: 3, osCorrect: 2, browserCorrect: 1)
        #expect(
            evaluation.jsonLine
                == #"{"bots":{"total":5,"detected":4},"humans":{"total":6,"flagged":1},"inapp":{"total":2,"flagged":0},"labeled":{"total":3,"device":3,"os":2,"browser":1}}"#
        )
    }
}
