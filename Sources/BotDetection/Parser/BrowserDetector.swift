/// Names the browser in Matomo's naming. Browsers built on Chrome or WebKit keep those
/// engines' tokens and add their own, so the specific names are tried first and `Chrome`,
/// `Safari` last.
struct BrowserDetector: Sendable {
    /// How a matched rule turns into a name.
    private enum Outcome: Sendable {
        case named(String)
        case yandex, samsung, huawei, puffin, operaChromium, opera, firefox, chrome, webKit
    }

    private let rules: [(group: TokenGroup, outcome: Outcome)]
    private let android, iOSDevices, mobile, lite, cloudPhone, operaDevices, operaMobile, firefoxMobile: TokenGroup
    private let webView, safari, androidOrDalvik: TokenGroup

    /// Registers the detector's words.
    /// - Parameter lexicon: the parser's lexicon.
    init(lexicon: inout TokenLexicon) {
        let table: [([String], Outcome)] = [
            (["yabrowser", "yasearchbrowser", "yandexsearch", "yaapp_"], .yandex),
            (["edga/", "edgios/", "edg/", "edge/"], .named("Microsoft Edge")),
            (["opx/"], .named("Opera GX")),
            (["opt/"], .named("Opera Touch")),
            (["ucturbo"], .named("UC Browser Turbo")),
            (["ucbrowser", "ucweb", " uc applewebkit", "ucmini"], .named("UC Browser")),
            (["opera mini", "opios/"], .named("Opera Mini")),
            (["samsungbrowser"], .samsung),
            (["miuibrowser", "mibrowser"], .named("Mi Browser")),
            (["mint browser"], .named("Mint Browser")),
            (["mqqbrowser", "qqbrowser"], .named("QQ Browser")),
            (["huaweibrowser"], .huawei),
            (["quark/"], .named("Quark")),
            (["vivobrowser"], .named("vivo Browser")),
            (["heytapbrowser"], .named("HeyTapBrowser")),
            (["oppobrowser"], .named("Oppo Browser")),
            (["phx/"], .named("Phoenix Browser")),
            (["mzbrowser"], .named("Meizu Browser")),
            (["puffin/"], .puffin),
            (["sogoumobilebrowser", "sogoumse"], .named("Sogou Mobile Browser")),
            (["dolfin/", "dolphin"], .named("Dolphin")),
            (["alohabrowser", "aloha/"], .named("Aloha Browser")),
            (["baidubrowser", "flyflow", "bdbrowser"], .named("Baidu Browser")),
            (["maxthon", "mxbrowser"], .named("Maxthon")),
            (["duckduckgo/"], .named("DuckDuckGo Privacy Browser")),
            (["acheetahi"], .named("CM Browser")),
            (["360 aphone browser"], .named("360 Phone Browser")),
            (["odin/"], .named("Odin")),
            (["tv bro/"], .named("TV Bro")),
            (["lg browser"], .named("LG Browser")),
            (["tbrowser"], .named("T-Browser")),
            (["sraf"], .named("Seraphic Sraf")),
            (["silk/"], .named("Mobile Silk")),
            (["nokiabrowser", "browserng"], .named("Nokia Browser")),
            (["oculusbrowser"], .named("Oculus Browser")),
            (["picobrowser"], .named("Pico Browser")),
            (["rokubrowser"], .named("Roku Browser")),
            (["qtwebengine"], .named("QtWebEngine")),
            (["antgalio"], .named("ANTGalio")),
            (["espial"], .named("Espial TV Browser")),
            (["s40ovibrowser"], .named("Nokia Ovi Browser")),
            (["netfront"], .named("NetFront")),
            (["up.browser", "up/4", "openwave"], .named("Openwave Mobile Browser")),
            (["maui"], .named("MAUI WAP Browser")),
            (["obigo", "teleca"], .named("Obigo")),
            (["iemobile"], .named("IE Mobile")),
            (["opr/"], .operaChromium),
            (["<omi/"], .named("Opera Devices")),
            (["opera"], .opera),
            (["fxios/"], .named("Firefox Mobile iOS")),
            (["focus/"], .named("Firefox Focus")),
            (["firefox/", "fennec/"], .firefox),
            (["msie", "trident/"], .named("Internet Explorer")),
            (["crios/"], .named("Chrome Mobile iOS")),
            (["chromium/"], .named("Chromium")),
            (["chrome/", "chr0me/"], .chrome),
            (["safari", "applewebkit", "cfnetwork"], .webKit),
        ]
        rules = table.map { (lexicon.group($0.0), $0.1) }
        android = lexicon.group("android", "andr0id")
        iOSDevices = lexicon.group("iphone", "ipad", "ipod")
        mobile = lexicon.group("mobile")
        lite = lexicon.group("(lite)")
        cloudPhone = lexicon.group("cloud phone")
        operaDevices = lexicon.group("<omi/")
        operaMobile = lexicon.group("opera mobi", "opera tablet")
        firefoxMobile = lexicon.group("mobile;", "tablet;")
        webView = lexicon.group("; wv", "version/")
        safari = lexicon.group("safari")
        androidOrDalvik = lexicon.group("android", "dalvik")
    }

    /// The browser's name, or `nil` when the user agent does not tell.
    /// - Parameters:
    ///   - text: the prepared user agent.
    ///   - os: the operating system already detected.
    func name(of text: UserAgentText, os: String?) -> String? {
        let onAndroid = os.map { OperatingSystemDetector.androidFamily.contains($0) } == true && text.has(android)
        let onIOS = os == "iOS" || os == "iPadOS"
        if let rule = rules.first(where: { text.has($0.group) }) {
            return name(for: rule.outcome, text: text, onAndroid: onAndroid, onIOS: onIOS)
        }
        if onAndroid || text.has(androidOrDalvik) { return "Android Browser" }
        return onIOS ? "Mobile Safari" : nil
    }

    private func name(for outcome: Outcome, text: UserAgentText, onAndroid: Bool, onIOS: Bool) -> String? {
        switch outcome {
        case .named(let name):
            return name
        case .yandex:
            return text.has(lite) ? "Yandex Browser Lite" : "Yandex Browser"
        case .samsung:
            return "Samsung Browser"
        case .huawei:
            return onAndroid || text.has(mobile) ? "Huawei Browser Mobile" : "Huawei Browser"
        case .puffin:
            return text.has(cloudPhone) ? "Puffin Cloud Browser" : "Puffin Web Browser"
        case .operaChromium:
            if text.has(operaDevices) { return "Opera Devices" }
            return onAndroid && text.has(mobile) ? "Opera Mobile" : "Opera"
        case .opera:
            return text.has(operaMobile) ? "Opera Mobile" : "Opera"
        case .firefox:
            return onAndroid || text.has(firefoxMobile) ? "Firefox Mobile" : "Firefox"
        case .chrome:
            guard onAndroid else { return "Chrome" }
            if text.has(webView) { return "Chrome Webview" }
            return text.has(mobile) ? "Chrome Mobile" : "Chrome"
        case .webKit:
            if onAndroid || text.has(android) { return "Android Browser" }
            if onIOS || text.has(iOSDevices) { return "Mobile Safari" }
            return text.has(safari) ? "Safari" : nil
        }
    }
}
