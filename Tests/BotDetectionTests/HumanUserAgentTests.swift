import BotDetection
import ShortLinkCore
import Testing

/// People are not flagged: ordinary browsers, in-app browsers, devices with odd names.
@Suite struct HumanUserAgentTests {
    private let classifier = BotClassifier(rules: .builtIn)

    @Test(arguments: UserAgentFixtures.browsers)
    func classify_whenCommonBrowser_isHuman(_ userAgent: String) {
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .human)
    }

    @Test(arguments: UserAgentFixtures.inAppBrowsers)
    func classify_whenInAppBrowser_isHuman(_ userAgent: String) {
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .human)
    }

    @Test(arguments: UserAgentFixtures.devicesNamedLikeBots)
    func classify_whenDeviceNameContainsAKeyword_isHuman(_ userAgent: String) {
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .human)
    }

    @Test func classify_whenInAppBrowserOfAPreviewApp_isStillHuman() {
        // Facebook's, Pinterest's and Snapchat's apps are people; their fetchers are not.
        let app =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Snapchat/12.60.0.39 (like Safari/8617.1.17.10.9, panda)"
        #expect(classifier.classify(ClassificationInput(userAgent: app)) == .human)
        let fetcher = "Mozilla/5.0 (compatible; SnapURLPreview/1.0; +https://www.snapchat.com)"
        #expect(classifier.classify(ClassificationInput(userAgent: fetcher)) == .bot("preview:snapchat"))
    }

    @Test func classify_whenInAppBrowserCarriesACrawlerName_isStillTheCrawler() {
        // Human markers only silence library and keyword rules; named fetchers still win.
        let userAgent =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 250.0 (compatible; Googlebot/2.1)"
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .bot("crawler:googlebot"))
    }
}
