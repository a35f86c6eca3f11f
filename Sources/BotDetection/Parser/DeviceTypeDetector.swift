/// Decides the device kind from the operating system, tell-tale words (`SmartTV`, `HbbTV`,
/// `iPad`) and, on Android, the device model's naming conventions: television panels are
/// named after their size (`43LF7010T`), tablets after their line (`SM-T…`, `TB-…`, `…Tab…`),
/// large phones after theirs (`SM-N…`, `…Note…`).
struct DeviceTypeDetector: Sendable {
    private static let televisionSystems: Set<String> = [
        "webOS", "Tizen", "VIDAA", "Whale OS", "TiVo OS", "Roku OS", "ViziOS", "Opera TV", "Google TV", "Orsay", "WebTV",
        "KreaTV", "Fuchsia", "BrightSignOS", "Android TV",
    ]
    private static let featurePhoneSystems: Set<String> = [
        "Java ME", "Symbian", "MRE", "Brew", "ThreadX", "REX", "MTK / Nucleus", "Mocor OS", "KaiOS",
    ]
    private static let desktopSystems: Set<String> = [
        "Windows", "Mac", "GNU/Linux", "Chrome OS", "Ubuntu", "Debian", "Fedora", "CentOS", "FreeBSD", "OpenBSD", "NetBSD",
        "Gentoo", "Mandriva", "SUSE", "Kubuntu", "Arch Linux", "Solaris", "AmigaOS", "RISC OS", "OpenVMS", "Haiku OS",
        "Syllable", "Ordissimo",
    ]
    private static let phoneSystems: Set<String> = [
        "Windows Phone", "Windows Mobile", "Windows CE", "BlackBerry OS", "Bada", "Symbian OS Series 60", "Symbian^3",
        "Symbian OS Series 40", "MeeGo", "Sailfish OS", "Firefox OS", "palmOS",
    ]
    private static let androidLikeSystems: Set<String> = [
        "Android", "HarmonyOS", "MocorDroid", "CyanogenMod", "Lineage OS", "YunOS", "ClearOS Mobile", "Remix OS",
        "Meta Horizon", "PICO OS",
    ]

    private static let televisionModelWords = [
        "<tv", "tv>", "box", "stick", "shell", "led", "<4k", "<8k", "uhd", "stb", "dvb", "iptv", "ott", "atv", "mibox",
        "chromecast", "shield", "streamer", "<x96", "<t95", "<h96", "<mxq", "<a95x", "zidoo", "ugoos", "beelink", "rombica",
        "vontar", "pendoo", "mygica", "yundoo", "iconbit", "evpad", "as4k", "as_4k", "<m8s", "<tx3", "<tx6", "nexon", "ozone",
    ].map(TokenPattern.init)
    private static let wearableModelWords = ["sm-r", "watch", "lem1", "wear"].map(TokenPattern.init)
    private static let tabletModelWords = [
        "tab", "pad", "sm-t", "sm-p", "sm-x", "tb-", "mid", "tablet", "pocketbook", "kindle", "nexus 7", "nexus 9", "nexus 10",
        "mediapad", "matepad", "xoom", "playbook", "iplay", "-w00", "-w09", "-w10", "-w19",
    ].map(TokenPattern.init)
    private static let phabletModelWords = ["note", "sm-n", "galaxy note", "sm-f", "fold", "sm-g53"].map(TokenPattern.init)
    private static let phoneModelWords = [
        "sm-g", "sm-a", "sm-j", "sm-s", "sm-m", "sm-e", "lm-", "lg-", "rmx", "cph", "vivo", "oneplus", "redmi", "pixel",
        "moto", "infinix", "tecno", "itel", "iphone", "galaxy s", "xt1", "xt2", "htc", "nokia", "huawei", "honor", "zte",
        "alcatel", "sony", "xperia",
    ].map(TokenPattern.init)
    /// Vendors' tablet lines: LG G Pad, Alcatel 8xxx/9xxx, Acer Iconia, Lenovo Tab/Yoga,
    /// Huawei MediaPad codes, BQ 7″/8″/10″, Prestigio MultiPad, Galaxy Tab, Digma, Teclast,
    /// OnePlus Pad, Kindle Fire.
    private static let tabletModelShapes: [ModelShape] = {
        var shapes = [
            "lg-v#", "a1-", "a3-", "b1-", "b3-", "pmt#", "gt-p", "samsung gt-p", "samsung-gt-p", "citi", "plane", "optima",
            "tz#", "opd#", "ipa#",
        ]
        for line in ["p", "t"] { shapes += ["##_", "##@_", "##@@_"].map { line + $0 } }
        for series in ["80", "90"] { shapes += ["##_", "##$", "##@_", "##@$"].map { series + $0 } }
        for line in ["tb", "yt"] { shapes += [line + "-", line + "#-", "lenovo " + line + "-", "lenovo " + line + "#-"] }
        let huawei = [
            "bah", "bzt", "cpn", "kob", "mon", "ags", "agr", "bg2", "btv", "scm", "dby", "got", "bzk", "bzd", "hdl",
            "jdn", "sht", "cmr", "mrx", "vrd", "krj", "dbr",
        ]
        for code in huawei { shapes += [code + "-", code + "#-"] }
        for size in ["1", "7", "8"] { shapes += ["bq-" + size + "#", "bqru-" + size + "#"] }
        shapes += (2...6).map { "kf" + String(repeating: "@", count: $0) + "$" }
        return shapes.map(ModelShape.init)
    }()
    private static let phabletModelShapes = ["tecno l@"].map(ModelShape.init)

    private let smartSpeaker, console, mediaPlayer, wearable, headset, mobile, palm, hpWebOS, tablet, galaxyWatch: TokenGroup
    private let television, iPad, iPhone, blackBerryTablet, androidOrDalvik, handsetRelease, tabletWords: TokenGroup
    private let tabletComment, webView, safari: TokenGroup

    /// Registers the detector's words.
    /// - Parameter lexicon: the parser's lexicon.
    init(lexicon: inout TokenLexicon) {
        smartSpeaker = lexicon.group("devicetype/smartspeaker")
        console = lexicon.group("xbox", "ouya", "gamepad")
        mediaPlayer = lexicon.group("ipod", "zunehd")
        wearable = lexicon.group("wearable")
        headset = lexicon.group("mobile vr", " vr ", "oculus", "pico neo", "standalone hmd")
        mobile = lexicon.group("mobile")
        palm = lexicon.group("palm")
        hpWebOS = lexicon.group("hpwos")
        tablet = lexicon.group("tablet")
        galaxyWatch = lexicon.group("sm-r")
        television = lexicon.group(
            "smart-tv", "smarttv", "smart tv", "hbbtv", "googletv", "google tv", "g00gle tv", "android tv", "androidtv",
            "andr0id tv", "crkey", "bravia", "netcast", "web0s", "roku", "vidaa", "netrange", "ce-html", "espial", "tv bro",
            "opera tv", "<omi/", "(dtv)", "dtv/", "viera", "aquos-tv", "freebox", "(lite) tv", " tv safari", "tv store",
            "smartcast", "_tv_", "; tv;", "stb")
        iPad = lexicon.group("ipad")
        iPhone = lexicon.group("iphone")
        blackBerryTablet = lexicon.group("playbook", "rim tablet")
        androidOrDalvik = lexicon.group("android", "andr0id", "dalvik")
        handsetRelease = lexicon.group("midp", "cldc", "release/")
        tabletWords = lexicon.group("tablet", "pad")
        tabletComment = lexicon.group("; tablet", "tablet;")
        webView = lexicon.group("; wv)")
        safari = lexicon.group("safari")
    }

    /// The device kind, or `nil` when the user agent does not tell.
    /// - Parameters:
    ///   - text: the prepared user agent.
    ///   - os: the operating system already detected.
    func type(of text: UserAgentText, os: String?) -> DeviceType? {
        let os = os ?? ""
        if text.has(smartSpeaker) { return .smartSpeaker }
        if ["PlayStation", "Nintendo", "PlayStation Portable", "Nintendo Mobile"].contains(os) || text.has(console) {
            return .console
        }
        if text.has(mediaPlayer) { return .portableMediaPlayer }
        if os == "Wear OS" || text.has(wearable) || text.has(headset) { return .wearable }
        if Self.televisionSystems.contains(os) {
            if os == "Tizen", text.has(mobile) { return text.has(galaxyWatch) ? .wearable : .smartphone }
            if (os == "webOS" && text.has(palm)) || text.has(hpWebOS) { return text.has(tablet) ? .tablet : .smartphone }
            return .tv
        }
        if os == "Fire OS" {
            if text.model.starts(with: Array("aft".utf8)) { return .tv }
            if text.model.starts(with: Array("aeo".utf8)) { return .smartSpeaker }
            return .tablet
        }
        if Self.featurePhoneSystems.contains(os) { return .featurePhone }
        if Self.desktopSystems.contains(os) { return text.has(television) ? .tv : .desktop }
        if os == "Windows RT" || text.has(iPad) || os == "iPadOS" { return .tablet }
        if text.has(iPhone) || os == "iOS" { return .smartphone }
        if Self.phoneSystems.contains(os) { return text.has(blackBerryTablet) ? .tablet : .smartphone }
        if text.has(androidOrDalvik) || Self.androidLikeSystems.contains(os) { return androidType(text) }
        if text.has(tablet) { return .tablet }
        return text.has(mobile) ? .smartphone : nil
    }

    private func androidType(_ text: UserAgentText) -> DeviceType {
        if text.has(handsetRelease), !text.has(tabletWords) { return .smartphone }
        if text.has(television) || AndroidModel.hasTelevisionBuild(in: text.bytes) || AndroidModel.startsWithScreenSize(text.model)
            || text.modelHas(Self.televisionModelWords)
        {
            return .tv
        }
        if text.modelHas(Self.wearableModelWords) { return .wearable }
        if text.has(tabletComment) || text.modelHas(Self.tabletModelWords) || text.modelStarts(with: Self.tabletModelShapes) {
            return .tablet
        }
        if text.modelHas(Self.phabletModelWords) || text.modelStarts(with: Self.phabletModelShapes) { return .phablet }
        if text.modelHas(Self.phoneModelWords) || text.has(mobile) { return .smartphone }
        if text.bytes.starts(with: Array("dalvik".utf8)) { return .smartphone }
        // Apps' web views that cut the user agent after the Chrome version are phones' in practice.
        if text.has(webView), !text.has(safari) { return .smartphone }
        if let version = AndroidModel.majorVersion(in: text.bytes), version < 3 { return .smartphone }
        return .tablet
    }
}
