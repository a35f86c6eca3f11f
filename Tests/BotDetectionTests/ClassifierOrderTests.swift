import BotDetection
import ShortLinkCore
import Testing

/// The checks run in a fixed order and the first match wins.
@Suite struct ClassifierOrderTests {
    private let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    private let classifier = BotClassifier(
        rules: .builtIn, ipLists: ["datacenter": [CIDR("203.0.113.0/24")!], "monitoring": [CIDR("198.51.100.7")!]])

    @Test func classify_whenHeadRequestFromGooglebot_isMethodHead() {
        let verdict = classifier.classify(ClassificationInput(method: .head, userAgent: googlebot, secPurpose: "prefetch"))
        #expect(verdict == .bot("method:head"))
    }

    @Test func classify_whenPrefetchFromCurl_isPrefetchBeforeLibrary() {
        let verdict = classifier.classify(ClassificationInput(userAgent: "curl/8.4.0", secPurpose: "prefetch;prerender"))
        #expect(verdict == .bot("prefetch:sec-purpose"))
    }

    @Test(arguments: [
        (ClassificationInput(secPurpose: "prefetch"), "prefetch:sec-purpose"),
        (ClassificationInput(secPurpose: "PREFETCH;prerender"), "prefetch:sec-purpose"),
        (ClassificationInput(purpose: "prefetch"), "prefetch:purpose"),
        (ClassificationInput(xPurpose: "preview"), "prefetch:x-purpose"),
        (ClassificationInput(xMoz: "prefetch"), "prefetch:x-moz"),
        (ClassificationInput(purpose: "prefetch", xMoz: "prefetch"), "prefetch:purpose"),
    ])
    func classify_whenPrefetchHeader_namesTheFirstHeader(_ input: ClassificationInput, _ expected: String) {
        var input = input
        input.userAgent = UserAgentFixtures.chromeWindows
        #expect(classifier.classify(input) == .bot(expected))
    }

    @Test func classify_whenPurposeHeaderIsSomethingElse_isHuman() {
        let input = ClassificationInput(userAgent: UserAgentFixtures.chromeWindows, secPurpose: "navigate", xPurpose: "")
        #expect(classifier.classify(input) == .human)
    }

    @Test func classify_whenEmptyUserAgentFromListedAddress_isEmptyBeforeIP() {
        let verdict = classifier.classify(ClassificationInput(userAgent: nil, clientIP: IPAddress("203.0.113.9")))
        #expect(verdict == .bot("ua:empty"))
    }

    @Test func classify_whenPreviewFetcherAlsoNamesALibrary_isPreview() {
        let userAgent = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .bot("preview:linkedin"))
    }

    @Test func classify_whenHeadlessBrowserAlsoNamesACrawler_isHeadless() {
        let userAgent =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/87.0.4280.88 YextBot/Java Safari/537.36"
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .bot("headless:chrome"))
    }

    @Test func classify_whenLibraryInsideACrawlerName_isLibraryBeforeCrawler() {
        // Category order, not position in the string: library rules come before crawler rules.
        let userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1) python-requests/2.31"
        #expect(classifier.classify(ClassificationInput(userAgent: userAgent)) == .bot("library:python-requests"))
    }

    @Test func classify_whenCrawlerUsesAGenericWordToo_isCrawler() {
        #expect(classifier.classify(ClassificationInput(userAgent: googlebot)) == .bot("crawler:googlebot"))
    }
}
