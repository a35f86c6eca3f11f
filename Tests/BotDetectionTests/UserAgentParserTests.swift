import BotDetection
import Testing

/// Device type, OS and browser of representative user agents, in Matomo's names.
@Suite struct UserAgentParserTests {
    private let parser = UserAgentParser()

    @Test(
        arguments: [
            (UserAgentFixtures.safariIPhone, DeviceType.smartphone, "iOS", "Mobile Safari"),
            (UserAgentFixtures.safariIPad, .tablet, "iPadOS", "Mobile Safari"),
            (UserAgentFixtures.chromeWindows, .desktop, "Windows", "Chrome"),
            (UserAgentFixtures.safariMac, .desktop, "Mac", "Safari"),
            (UserAgentFixtures.firefoxLinux, .desktop, "GNU/Linux", "Firefox"),
            (UserAgentFixtures.edgeWindows, .desktop, "Windows", "Microsoft Edge"),
            (UserAgentFixtures.operaDesktop, .desktop, "Windows", "Opera"),
            (UserAgentFixtures.chromeAndroidPhone, .smartphone, "Android", "Chrome Mobile"),
            (UserAgentFixtures.chromeAndroidTablet, .tablet, "Android", "Chrome"),
            (UserAgentFixtures.samsungBrowser, .smartphone, "Android", "Samsung Browser"),
            (UserAgentFixtures.yandexBrowser, .smartphone, "Android", "Yandex Browser"),
            (UserAgentFixtures.ucBrowser, .smartphone, "Android", "UC Browser"),
            (
                "Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/103.0.5060.71 Mobile Safari/537.36",
                .smartphone, "Android", "Chrome Webview"
            ),
            ("Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", .smartphone, "Android", "Firefox Mobile"),
            (
                "Mozilla/5.0 (Linux; Android 13; SM-N986B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36",
                .phablet, "Android", "Chrome Mobile"
            ),
            (
                "Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; GT-P5110 Build/IMM76D) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30",
                .tablet, "Android", "Android Browser"
            ),
            (
                "Mozilla/5.0 (Linux; Android 11; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) Silk/124.2.1 like Chrome/124.0.6367.82 Safari/537.36",
                .tablet, "Fire OS", "Mobile Silk"
            ),
            (
                "Mozilla/5.0 (Linux; Android 10; BRAVIA 4K VH2 Build/QTG3.200305.006.S292; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Safari/537.36",
                .tv, "Android TV", "Chrome Webview"
            ),
            (
                "Mozilla/5.0 (Linux; Android 11; 43LF7010T) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", .tv, "Android",
                "Chrome"
            ),
            (
                "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36",
                .tv, "Fire OS", "Chrome Webview"
            ),
            (
                "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/94.0.4606.128 Safari/537.36 WebAppManager", .tv,
                "webOS", "Chrome"
            ),
            (
                "Mozilla/5.0 (SMART-TV; LINUX; Tizen 7.0) AppleWebKit/537.36 (KHTML, like Gecko) 94.0.4606.31/7.0 TV Safari/537.36", .tv, "Tizen",
                "Safari"
            ),
            (
                "Mozilla/5.0 (PlayStation; PlayStation 5/8.20) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.4 Safari/605.1.15", .console,
                "PlayStation", "Safari"
            ),
            (
                "Mozilla/5.0 (Linux; Android 11; SAMSUNG SM-R890) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2.2 Chrome/102.0.5005.125 Mobile Safari/537.36",
                .wearable, "Wear OS", "Samsung Browser"
            ),
            (
                "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", .desktop,
                "Chrome OS", "Chrome"
            ),
            ("Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)", .desktop, "Windows", "Internet Explorer"),
            ("Dalvik/2.1.0 (Linux; U; Android 11; M2101K6G Build/RKQ1.200826.002)", .smartphone, "Android", "Android Browser"),
            ("Nokia6300/2.0 (05.50) Profile/MIDP-2.0 Configuration/CLDC-1.1", .featurePhone, "Symbian", nil),
        ] as [(String, DeviceType?, String?, String?)])
    func parse_givesMatomoNames(_ userAgent: String, _ device: DeviceType?, _ os: String?, _ browser: String?) {
        let info = parser.parse(userAgent)
        #expect(info.deviceType == device)
        #expect(info.os == os)
        #expect(info.browser == browser)
    }

    @Test(arguments: ["", "   "])
    func parse_whenBlank_isUnknown(_ userAgent: String) {
        #expect(parser.parse(userAgent) == .unknown)
    }

    @Test func deviceType_rawValues_areMatomoNames() {
        #expect(DeviceType.carBrowser.rawValue == "car browser")
        #expect(DeviceType.featurePhone.rawValue == "feature phone")
        #expect(DeviceType.portableMediaPlayer.rawValue == "portable media player")
        #expect(DeviceType.smartDisplay.rawValue == "smart display")
        #expect(DeviceType.smartSpeaker.rawValue == "smart speaker")
        #expect(DeviceType(rawValue: "tv") == .tv)
    }
}
