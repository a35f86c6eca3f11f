/// Names the operating system in Matomo's naming. Checks run from the most specific
/// (TV platforms, forks of Android) to the most generic (`GNU/Linux`).
struct OperatingSystemDetector: Sendable {
    /// Android and the systems built on it, for the browser and device rules.
    static let androidFamily: Set<String> = [
        "Android", "Android TV", "Fire OS", "HarmonyOS", "MocorDroid", "CyanogenMod", "Lineage OS", "YunOS",
        "Wear OS", "Meta Horizon", "PICO OS", "ClearOS Mobile", "Chrome OS", "Remix OS",
    ]

    private let openHarmony, harmony, windowsPhone, windowsPhoneDesktop, armTrident, windowsMobile, windowsCE: TokenGroup
    private let windowsRT, kaiOS, tizen, webOS, palm, vidaa, whaleOS, tivo, roku, vizio, brightSign, kreaTV: TokenGroup
    private let orsayHints, samsung, maple, webTV, fuchsia, playStationPortable, playStation, nintendoHandheld: TokenGroup
    private let nintendo, xbox, bada, blackBerry, symbian3, series40, series60, symbian, notSymbian, meeGo, sailfish: TokenGroup
    private let mre, brew, threadX, rex, nucleus, palmOS, amiga, riscOS, openVMS, haiku, syllable, cloudPhone: TokenGroup
    private let metaHorizon, pico, androidMarkers, yunOS, remixOS, cyanogen, lineage, mocorDroid, chromebook: TokenGroup
    private let clearOS, fireOSHints, androidTV, wearHints, googleTVBox, operaTV, apple, iPad, crOS: TokenGroup
    private let mac, windows, freeBSD, openBSD, netBSD, javaME, linux: TokenGroup
    private let distributions: [(group: TokenGroup, name: String)]
    private static let fireOSModels = ["kf@@$", "kf@@@$", "kf@@@@$", "kf@@@@@$", "kf@@@@@@$", "aeo@@$"].map(ModelShape.init)
    private static let wearModels = ["sm-r#", "samsung sm-r#", "lem#"].map(ModelShape.init)

    /// Registers the detector's words.
    /// - Parameter lexicon: the parser's lexicon.
    init(lexicon: inout TokenLexicon) {
        openHarmony = lexicon.group("openharmony")
        harmony = lexicon.group("harmonyos")
        windowsPhone = lexicon.group("windows phone", "wpdesktop")
        windowsPhoneDesktop = lexicon.group("wpdesktop", "arm; trident")
        armTrident = lexicon.group("windows nt 6.2; arm")
        windowsMobile = lexicon.group("windows mobile")
        windowsCE = lexicon.group("windows ce", "wce;")
        windowsRT = lexicon.group("windows nt 6.2; arm", "windows nt 6.3; arm")
        kaiOS = lexicon.group("kaios")
        tizen = lexicon.group("tizen")
        webOS = lexicon.group("web0s", "webos", "hpwos")
        palm = lexicon.group("palm")
        vidaa = lexicon.group("vidaa")
        whaleOS = lexicon.group("whaleos", "whale os")
        tivo = lexicon.group("<tivo-", "<tivo ")
        roku = lexicon.group("roku")
        vizio = lexicon.group("vizio", "smartcast")
        brightSign = lexicon.group("brightsign")
        kreaTV = lexicon.group("kreatv")
        orsayHints = lexicon.group("maple", "smarthub", "smart-tv")
        samsung = lexicon.group("samsung")
        maple = lexicon.group("maple20")
        webTV = lexicon.group("webtv")
        fuchsia = lexicon.group("fuchsia")
        playStationPortable = lexicon.group("playstation portable", "playstation vita")
        playStation = lexicon.group("playstation", "(ps3)", "(ps4)")
        nintendoHandheld = lexicon.group("nintendo 3ds", "nintendo ds", "nintendo dsi")
        nintendo = lexicon.group("nintendo")
        xbox = lexicon.group("xbox")
        bada = lexicon.group("bada/")
        blackBerry = lexicon.group("blackberry", "bb10", "rim tablet")
        symbian3 = lexicon.group("symbian/3")
        series40 = lexicon.group("series40", "series 40")
        series60 = lexicon.group("symbianos", "series60", "series 60")
        symbian = lexicon.group("symbian", "nokia")
        notSymbian = lexicon.group("android", "windows", "linux")
        meeGo = lexicon.group("meego")
        sailfish = lexicon.group("sailfish")
        mre = lexicon.group("mre/")
        brew = lexicon.group("brew", "bmp 1.")
        threadX = lexicon.group("threadx")
        rex = lexicon.group("(rex;")
        nucleus = lexicon.group("nucleus")
        palmOS = lexicon.group("palmos", "palmsource", "palm os")
        amiga = lexicon.group("amigaos")
        riscOS = lexicon.group("risc os")
        openVMS = lexicon.group("openvms")
        haiku = lexicon.group("haiku")
        syllable = lexicon.group("syllable")
        cloudPhone = lexicon.group("cloud phone")
        metaHorizon = lexicon.group("oculusbrowser", "standalone hmd", "; quest")
        pico = lexicon.group("pico neo", "picobrowser")
        androidMarkers = lexicon.group("android", "andr0id", "dalvik", "adr ", "<yunos")
        yunOS = lexicon.group("yunos", "aliyunos")
        remixOS = lexicon.group("remixos")
        cyanogen = lexicon.group("cyanogenmod")
        lineage = lexicon.group("lineage")
        mocorDroid = lexicon.group("mocordroid")
        chromebook = lexicon.group("chromebook")
        clearOS = lexicon.group("clearphone")
        fireOSHints = lexicon.group("silk/", "kindle")
        androidTV = lexicon.group("android tv", "androidtv", "andr0id tv", "bravia", "shield android", "google tv", "g00gle tv", "googletv")
        wearHints = lexicon.group(" watch", " wear")
        googleTVBox = lexicon.group("googletv")
        operaTV = lexicon.group("opera tv store", "opera tv")
        apple = lexicon.group("iphone", "ipod", "ipad", "ios/", "cfnetwork", "like mac os x")
        iPad = lexicon.group("ipad")
        crOS = lexicon.group("cros ")
        mac = lexicon.group("macintosh", "mac os x", "mac_powerpc", "macos", "mac os", "darwin")
        windows = lexicon.group("windows", "win32", "win64", "winnt", "win98", "win95", "win 9x", "win10", "win7")
        freeBSD = lexicon.group("freebsd")
        openBSD = lexicon.group("openbsd")
        netBSD = lexicon.group("netbsd")
        distributions = [
            ("kubuntu", "Kubuntu"), ("ubuntu", "Ubuntu"), ("debian", "Debian"), ("fedora", "Fedora"), ("centos", "CentOS"),
            ("gentoo", "Gentoo"), ("mandriva", "Mandriva"), ("suse", "SUSE"), ("arch linux", "Arch Linux"),
            ("solaris", "Solaris"), ("webissimo", "Ordissimo"),
        ].map { (lexicon.group($0.0), $0.1) }
        javaME = lexicon.group("midp", "j2me", "java", "cldc", "up.browser", "docomo", "kddi")
        linux = lexicon.group("linux", "x11")
    }

    /// The operating system's name, or `nil` when the user agent does not tell.
    /// - Parameter text: the prepared user agent.
    func name(of text: UserAgentText) -> String? {
        if let name = embeddedOrTelevision(text) { return name }
        if let name = handheldOrLegacy(text) { return name }
        if text.has(androidMarkers) { return androidVariant(text) }
        if text.has(googleTVBox) { return "Google TV" }
        if text.has(operaTV) { return "Opera TV" }
        if text.has(apple) { return text.has(iPad) && Self.isIPadOS(text.bytes) ? "iPadOS" : "iOS" }
        if text.has(crOS) { return "Chrome OS" }
        if text.has(mac) { return "Mac" }
        if text.has(windows) { return "Windows" }
        if text.has(freeBSD) { return "FreeBSD" }
        if text.has(openBSD) { return "OpenBSD" }
        if text.has(netBSD) { return "NetBSD" }
        if let distribution = distributions.first(where: { text.has($0.group) }) { return distribution.name }
        if text.has(javaME) { return "Java ME" }
        if text.has(linux) { return "GNU/Linux" }
        return nil
    }

    private func embeddedOrTelevision(_ text: UserAgentText) -> String? {
        if text.has(openHarmony) { return text.has(harmony) ? "HarmonyOS NEXT" : "OpenHarmony" }
        if text.has(harmony) { return "HarmonyOS" }
        if text.has(windowsPhone) {
            if text.has(windowsPhoneDesktop) { return text.has(armTrident) ? "Windows RT" : "Windows Phone" }
            return "Windows Phone"
        }
        if text.has(windowsMobile) { return "Windows Mobile" }
        if text.has(windowsCE) { return "Windows CE" }
        if text.has(windowsRT) { return "Windows RT" }
        if text.has(kaiOS) { return "KaiOS" }
        if text.has(tizen) { return "Tizen" }
        if text.has(webOS), !text.has(palm) { return "webOS" }
        if text.has(vidaa) { return "VIDAA" }
        if text.has(whaleOS) { return "Whale OS" }
        if text.has(tivo) { return "TiVo OS" }
        if text.has(roku) { return "Roku OS" }
        if text.has(vizio) { return "ViziOS" }
        if text.has(brightSign) { return "BrightSignOS" }
        if text.has(kreaTV) { return "KreaTV" }
        if (text.has(orsayHints) && text.has(samsung)) || text.has(maple) { return "Orsay" }
        if text.has(webTV) { return "WebTV" }
        if text.has(fuchsia) { return "Fuchsia" }
        return nil
    }

    private func handheldOrLegacy(_ text: UserAgentText) -> String? {
        if text.has(playStationPortable) { return "PlayStation Portable" }
        if text.has(playStation) { return "PlayStation" }
        if text.has(nintendoHandheld) { return "Nintendo Mobile" }
        if text.has(nintendo) { return "Nintendo" }
        if text.has(xbox) { return "Windows" }
        if text.has(bada) { return "Bada" }
        if text.has(blackBerry) { return "BlackBerry OS" }
        if text.has(symbian3) { return "Symbian^3" }
        if text.has(series40) { return "Symbian OS Series 40" }
        if text.has(series60) { return "Symbian OS Series 60" }
        if text.has(symbian), !text.has(notSymbian) { return "Symbian" }
        let rules: [(TokenGroup, String)] = [
            (meeGo, "MeeGo"), (sailfish, "Sailfish OS"), (mre, "MRE"), (brew, "Brew"), (threadX, "ThreadX"), (rex, "REX"),
            (nucleus, "MTK / Nucleus"), (palmOS, "palmOS"), (amiga, "AmigaOS"), (riscOS, "RISC OS"), (openVMS, "OpenVMS"),
            (haiku, "Haiku OS"), (syllable, "Syllable"), (cloudPhone, "Puffin OS"), (metaHorizon, "Meta Horizon"),
            (pico, "PICO OS"),
        ]
        return rules.first { text.has($0.0) }?.1
    }

    private func androidVariant(_ text: UserAgentText) -> String {
        if text.has(yunOS) { return "YunOS" }
        if text.has(remixOS) { return "Remix OS" }
        if text.has(cyanogen) { return "CyanogenMod" }
        if text.has(lineage) { return "Lineage OS" }
        if text.has(mocorDroid) { return "MocorDroid" }
        if text.has(chromebook) { return "Chrome OS" }
        if text.has(clearOS) { return "ClearOS Mobile" }
        if text.modelStarts(with: Self.fireOSModels) || Self.isFireTVModel(text.model) || text.has(fireOSHints) { return "Fire OS" }
        if text.has(androidTV) { return "Android TV" }
        if text.modelStarts(with: Self.wearModels) || text.has(wearHints) { return "Wear OS" }
        return "Android"
    }

    /// `aft…` followed by letters and digits only: Fire TV models (`aftmm`, `aftssss`).
    private static func isFireTVModel(_ model: [UInt8]) -> Bool {
        model.starts(with: Array("aft".utf8)) && model.dropFirst(3).allSatisfy(ASCII.isAlphanumeric)
    }

    /// iPads on iOS 13 and later run iPadOS (`cpu os 13_…`).
    private static func isIPadOS(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let marker = Array("cpu os ".utf8)
        var from = 0
        while let start = ByteSearch.find(marker, in: text, from: from) {
            let index = start + marker.count
            if index + 1 < text.count, ASCII.isDigit(text[index]), ASCII.isDigit(text[index + 1]) {
                let major = Int(text[index] - 48) * 10 + Int(text[index + 1] - 48)
                if major >= 13, major <= 29 { return true }
            }
            from = start + 1
        }
        return false
    }
}
