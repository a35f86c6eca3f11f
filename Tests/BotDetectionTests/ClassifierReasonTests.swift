import BotDetection
import ShortLinkCore
import Testing

/// Each reason token, from a user agent that shows it.
@Suite struct ClassifierReasonTests {
    private let classifier = BotClassifier(rules: .builtIn)

    private func reason(_ userAgent: String?) -> String? {
        classifier.classify(ClassificationInput(userAgent: userAgent)).reason
    }

    @Test(arguments: [nil, "", "   ", "\t"] as [String?])
    func classify_whenUserAgentMissingOrBlank_isEmptyReason(_ userAgent: String?) {
        #expect(reason(userAgent) == "ua:empty")
    }

    @Test(arguments: [
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "preview:facebook"),
        ("Mozilla/5.0 (compatible; Facebot/1.0)", "preview:facebook"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
            "preview:imessage"
        ),
        ("Twitterbot/1.0", "preview:twitter"),
        ("TelegramBot (like TwitterBot)", "preview:telegram"),
        ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "preview:slack"),
        ("Slack-ImgProxy (+https://api.slack.com/robots)", "preview:slack"),
        ("WhatsApp/2.23.20.0 A", "preview:whatsapp"),
        ("Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", "preview:discord"),
        ("LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)", "preview:linkedin"),
        ("Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5", "preview:skype"),
        ("Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)", "preview:pinterest"),
        ("Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)", "preview:reddit"),
        ("Viber", "preview:viber"),
        ("Mozilla/5.0 (compatible; SnapURLPreview/1.0; +https://www.snapchat.com)", "preview:snapchat"),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko; Google-PageRenderer Google (+https://developers.google.com/+/web/snippet/)) Chrome/56.0.2924.87 Safari/537.36",
            "preview:google"
        ),
    ])
    func classify_whenLinkPreviewFetcher_givesPreviewReason(_ userAgent: String, _ expected: String) {
        #expect(reason(userAgent) == expected)
    }

    @Test(arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36", "headless:chrome"),
        ("Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1", "headless:phantomjs"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Playwright/1.43.0",
            "headless:playwright"
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36; Selenium",
            "headless:selenium"
        ),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Puppeteer", "headless:puppeteer"),
    ])
    func classify_whenHeadlessBrowser_givesHeadlessReason(_ userAgent: String, _ expected: String) {
        #expect(reason(userAgent) == expected)
    }

    @Test(arguments: [
        ("curl/8.4.0", "library:curl"),
        ("Wget/1.21.4", "library:wget"),
        ("python-requests/2.31.0", "library:python-requests"),
        ("Python-urllib/3.11", "library:python-urllib"),
        ("Python/3.11 aiohttp/3.9.1", "library:aiohttp"),
        ("python-httpx/0.25.2", "library:httpx"),
        ("Go-http-client/2.0", "library:go"),
        ("okhttp/4.12.0", "library:okhttp"),
        ("axios/1.6.2", "library:axios"),
        ("node-fetch/1.0 (+https://github.com/bitinn/node-fetch)", "library:node-fetch"),
        ("undici", "library:node-fetch"),
        ("Java/17.0.2", "library:java"),
        ("Apache-HttpClient/5.2.1 (Java/17.0.2)", "library:java"),
        ("libwww-perl/6.72", "library:libwww-perl"),
        ("rest-client/2.1.0 (linux x86_64) ruby/3.2.2p53", "library:ruby"),
        ("PHP/8.2.12", "library:php"),
        ("GuzzleHttp/7", "library:guzzle"),
        ("PostmanRuntime/7.36.0", "library:postman"),
        ("insomnia/2023.5.8", "library:insomnia"),
        ("HTTPie/3.2.2", "library:httpie"),
        ("Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.3803", "library:powershell"),
        ("RestSharp/110.2.0.0", "library:dotnet"),
    ])
    func classify_whenHTTPLibrary_givesLibraryReason(_ userAgent: String, _ expected: String) {
        #expect(reason(userAgent) == expected)
    }

    @Test(arguments: [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "crawler:googlebot"),
        (
            "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "crawler:googlebot"
        ),
        ("Mozilla/5.0 (compatible; Google-InspectionTool/1.0)", "crawler:googlebot"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "crawler:bingbot"),
        ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "crawler:yandex"),
        ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "crawler:baidu"),
        ("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", "crawler:duckduckbot"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
            "crawler:applebot"
        ),
        ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "crawler:ahrefs"),
        ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "crawler:semrush"),
        ("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)", "crawler:mj12"),
        ("Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)", "crawler:petal"),
        (
            "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
            "crawler:bytespider"
        ),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "crawler:gptbot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)", "crawler:claudebot"),
        ("CCBot/2.0 (https://commoncrawl.org/faq/)", "crawler:ccbot"),
        ("meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)", "crawler:facebook"),
    ])
    func classify_whenNamedCrawler_givesCrawlerReason(_ userAgent: String, _ expected: String) {
        #expect(reason(userAgent) == expected)
    }

    @Test(arguments: [
        ("Mozilla/5.0 (compatible; ExampleBot/1.0)", "keyword:bot"),
        ("acme_bot", "keyword:bot"),
        ("SuperCrawler/2.0", "keyword:crawler"),
        ("WebSpider 1.0", "keyword:spider"),
        ("Acme Scraper 3", "keyword:scraper"),
        ("FaviconFetcher/1.0", "keyword:fetcher"),
        ("Acme Uptime Monitor/1.0", "keyword:monitor"),
        ("Acme LinkChecker/10.2", "keyword:checker"),
        ("PortScanner 1.0", "keyword:scanner"),
        ("Acme Link Unfurler", "keyword:preview"),
        ("Acme RSS Reader/2.1", "keyword:feed"),
        ("Acme/1.0 (+https://acme.example/about)", "keyword:url"),
        ("Mozilla/5.0 (compatible; Acme/1.0)", "keyword:compatible"),
        ("AcmeSyncService/3.1", "keyword:no-platform"),
    ])
    func classify_whenGenericWord_givesKeywordReason(_ userAgent: String, _ expected: String) {
        #expect(reason(userAgent) == expected)
    }
}
