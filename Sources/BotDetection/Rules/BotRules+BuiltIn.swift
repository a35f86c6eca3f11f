// The default rules. Keep equal to Config/bot-rules.json: BotRulesFileTests compares them.

extension BotRules {
    /// The built-in rules, the same as `Config/bot-rules.json` (a test keeps the two equal).
    public static let builtIn = BotRules(
        version: 1,
        preview: [
            BotRuleFamily(name: "imessage", patterns: ["facebot twitterbot"]),
            BotRuleFamily(name: "facebook", patterns: ["facebookexternalhit", "meta-externalhit", "<facebot"]),
            BotRuleFamily(name: "slack", patterns: ["slackbot", "slack-imgproxy"]),
            BotRuleFamily(name: "whatsapp", patterns: ["^whatsapp>"]),
            BotRuleFamily(name: "telegram", patterns: ["telegrambot"]),
            BotRuleFamily(name: "twitter", patterns: ["twitterbot"]),
            BotRuleFamily(name: "discord", patterns: ["discordbot"]),
            BotRuleFamily(name: "linkedin", patterns: ["linkedinbot"]),
            BotRuleFamily(name: "skype", patterns: ["skypeuripreview", "skype-url-preview"]),
            BotRuleFamily(name: "pinterest", patterns: ["pinterestbot", "^pinterest/"]),
            BotRuleFamily(name: "reddit", patterns: ["redditbot"]),
            BotRuleFamily(name: "viber", patterns: ["^viber$"]),
            BotRuleFamily(name: "snapchat", patterns: ["snapurlpreview", "snap url preview"]),
            BotRuleFamily(
                name: "google",
                patterns: [
                    "google-pagerenderer", "google web preview", "googleweblight", "/+/web/snippet", "googlemessages",
                ]),
            BotRuleFamily(name: "bing", patterns: ["bingpreview", "microsoftpreview"]),
            BotRuleFamily(name: "teams", patterns: ["msteamsbot", "teams-linkpreview"]),
            BotRuleFamily(name: "mastodon", patterns: ["<mastodon/"]),
            BotRuleFamily(name: "bluesky", patterns: ["cardyb", "blueskypreview", "^bluesky"]),
            BotRuleFamily(name: "vk", patterns: ["vkshare", "<vk.com/"]),
            BotRuleFamily(name: "odnoklassniki", patterns: ["odklbot"]),
            BotRuleFamily(name: "kakao", patterns: ["kakaotalk-scrap", "kakaostory-og-reader"]),
            BotRuleFamily(name: "line", patterns: ["linebot"]),
            BotRuleFamily(name: "embed", patterns: ["embedly", "iframely", "opengraph", "metainspector", "metauri"]),
        ],
        headless: [
            BotRuleFamily(name: "chrome", patterns: ["headlesschrome", "headless chrome"]),
            BotRuleFamily(name: "phantomjs", patterns: ["phantomjs"]),
            BotRuleFamily(name: "puppeteer", patterns: ["puppeteer"]),
            BotRuleFamily(name: "playwright", patterns: ["playwright"]),
            BotRuleFamily(name: "selenium", patterns: ["selenium", "webdriver"]),
            BotRuleFamily(name: "cypress", patterns: ["cypress/"]),
            BotRuleFamily(name: "splash", patterns: ["gecko) splash"]),
            BotRuleFamily(name: "slimerjs", patterns: ["slimerjs"]),
            BotRuleFamily(name: "htmlunit", patterns: ["htmlunit"]),
            BotRuleFamily(name: "lighthouse", patterns: ["lighthouse"]),
            BotRuleFamily(name: "webpagetest", patterns: ["<ptst/"]),
            BotRuleFamily(name: "electron", patterns: ["pingdomtms", "nightmare/"]),
            BotRuleFamily(name: "ide", patterns: ["gecko) code/", "gecko) cursor/", "gecko) trae/", "^cursor/"]),
            BotRuleFamily(name: "wechatdevtools", patterns: ["wechatdevtools"]),
        ],
        library: [
            BotRuleFamily(name: "curl", patterns: ["<curl/", "^curl", "libcurl", "pycurl", "php-curl"]),
            BotRuleFamily(name: "wget", patterns: ["<wget"]),
            BotRuleFamily(name: "python-requests", patterns: ["python-requests", "<requests/"]),
            BotRuleFamily(name: "python-urllib", patterns: ["python-urllib", "<urllib"]),
            BotRuleFamily(name: "aiohttp", patterns: ["aiohttp"]),
            BotRuleFamily(name: "httpx", patterns: ["httpx"]),
            BotRuleFamily(
                name: "python",
                patterns: [
                    "<python/", "^python", "python-", "pywikibot", "scrapy", "mechanicalsoup", "<httplib",
                ]),
            BotRuleFamily(name: "go", patterns: ["go-http-client", "^go ", "<go/1.", "go-resty", "<colly", "fasthttp"]),
            BotRuleFamily(name: "okhttp", patterns: ["okhttp"]),
            BotRuleFamily(name: "axios", patterns: ["<axios"]),
            BotRuleFamily(
                name: "node-fetch",
                patterns: [
                    "node-fetch", "<undici", "^got ", "<node.js", "^node/", "<node-", "superagent", "needle/",
                ]),
            BotRuleFamily(
                name: "java",
                patterns: [
                    "^java", "<java/", "(java ", "apache-httpclient", "commons-httpclient", "httpurlconnection",
                    "^jersey/", "^jetty/", "http-kit", "scalaj-http", "grpc-java", "<ahc/", "asynchttpclient",
                    "httpunit",
                ]),
            BotRuleFamily(
                name: "libwww-perl",
                patterns: [
                    "libwww-perl", "<lwp-", "^lwp", "www-mechanize", "<furl/", "anyevent-http",
                ]),
            BotRuleFamily(
                name: "ruby",
                patterns: [
                    "<ruby", "rest-client", "<http.rb", "faraday", "mechanize/", "typhoeus", "httparty",
                ]),
            BotRuleFamily(
                name: "php",
                patterns: [
                    "<php/", "^php", "<php ", "wordpress/", "simplepie", "<zend_http", "<cakephp",
                ]),
            BotRuleFamily(name: "guzzle", patterns: ["guzzle"]),
            BotRuleFamily(name: "postman", patterns: ["postman"]),
            BotRuleFamily(name: "insomnia", patterns: ["<insomnia/"]),
            BotRuleFamily(name: "httpie", patterns: ["httpie"]),
            BotRuleFamily(name: "powershell", patterns: ["powershell"]),
            BotRuleFamily(
                name: "dotnet",
                patterns: [
                    "restsharp", "<winhttp", "<system.net", "<indy library", "<flurl", "<.net/",
                ]),
            BotRuleFamily(name: "lua", patterns: ["lua-resty", "luasocket", "(lua)"]),
            BotRuleFamily(name: "rust", patterns: ["<reqwest", "<hyper/", "<isahc", "<ureq/"]),
            BotRuleFamily(name: "dart", patterns: ["<dart/", "dart:io"]),
            BotRuleFamily(name: "grpc", patterns: ["<grpc-"]),
            BotRuleFamily(name: "cpp", patterns: ["cpp-httplib", "cpprest", "<boost.beast", "<poco/"]),
            BotRuleFamily(name: "erlang", patterns: ["<hackney/"]),
            BotRuleFamily(name: "openai", patterns: ["<openai/"]),
            BotRuleFamily(name: "deno", patterns: ["<deno/", "<bun/"]),
            BotRuleFamily(name: "ios-http", patterns: ["; scale/", "alamofire", "afnetworking"]),
        ],
        crawler: [
            BotRuleFamily(
                name: "googlebot",
                patterns: [
                    "googlebot", "googleother", "adsbot-google", "mediapartners-google", "<google-", "-google>",
                    "feedfetcher-google", "appengine-google", "googleagent", "google favicon", "googleproducer",
                    "googleassociationservice",
                ]),
            BotRuleFamily(name: "bingbot", patterns: ["bingbot", "msnbot", "adidxbot", "librabot", "bing.com/bot"]),
            BotRuleFamily(
                name: "yandex",
                patterns: [
                    "yandexbot", "yandex.com/bots", "yadirectfetcher", "yandexmetrika", "yandexrender",
                    "yandeximages", "yandexmobilebot", "yandexaccessibilitybot",
                ]),
            BotRuleFamily(
                name: "baidu",
                patterns: [
                    "baiduspider", "baidu-yunguance", "baiduadsbot", "baidu.com/search/spider",
                ]),
            BotRuleFamily(
                name: "duckduckbot",
                patterns: [
                    "duckduckbot", "duckassistbot", "duckduckgo-favicons", "^duckduckgo/", "^ddg_android",
                    "^ddg-android",
                ]),
            BotRuleFamily(name: "applebot", patterns: ["applebot"]),
            BotRuleFamily(name: "ahrefs", patterns: ["ahrefs"]),
            BotRuleFamily(name: "semrush", patterns: ["semrush"]),
            BotRuleFamily(name: "mj12", patterns: ["mj12bot", "majestic12"]),
            BotRuleFamily(name: "petal", patterns: ["petalbot", "aspiegel"]),
            BotRuleFamily(name: "bytespider", patterns: ["bytespider", "bytedance.com/"]),
            BotRuleFamily(name: "gptbot", patterns: ["gptbot", "chatgpt-user", "oai-searchbot", "openai.com/"]),
            BotRuleFamily(
                name: "claudebot",
                patterns: [
                    "claudebot", "claude-web", "claude-user", "claude-searchbot", "anthropic-ai", "anthropic.com",
                    "<claude-code",
                ]),
            BotRuleFamily(name: "ccbot", patterns: ["ccbot", "commoncrawl"]),
            BotRuleFamily(
                name: "facebook",
                patterns: [
                    "meta-externalagent", "meta-externalfetcher", "meta-externalads", "meta-webindexer",
                    "facebookcatalog", "facebookbot",
                ]),
            BotRuleFamily(name: "perplexity", patterns: ["perplexitybot", "perplexity-user", "perplexityuser"]),
            BotRuleFamily(
                name: "amazon",
                patterns: [
                    "amazonbot", "amzn-user", "amazon-bedrock", "amazonproductdiscovery", "amazonadbot",
                    "amazon-kendra",
                ]),
            BotRuleFamily(name: "seznam", patterns: ["seznambot", "seznamhomepagecrawler"]),
            BotRuleFamily(
                name: "sogou",
                patterns: [
                    "sogou web spider", "sogou news spider", "sogou pic spider", "sogou spider",
                ]),
            BotRuleFamily(name: "naver", patterns: ["<yeti/", "naverbot", "naver.me/"]),
            BotRuleFamily(name: "yahoo", patterns: ["yahoo! slurp", "<slurp", "y!j-"]),
            BotRuleFamily(
                name: "archive",
                patterns: [
                    "ia_archiver", "archive.org_bot", "heritrix", "archive-it", "archiveteam", "archivebot",
                ]),
            BotRuleFamily(name: "coccoc", patterns: ["coccoc"]),
            BotRuleFamily(name: "qwant", patterns: ["qwantbot", "qwantify"]),
            BotRuleFamily(name: "moz", patterns: ["rogerbot", "dotbot/"]),
            BotRuleFamily(name: "exabot", patterns: ["exabot"]),
            BotRuleFamily(name: "mojeek", patterns: ["mojeekbot"]),
            BotRuleFamily(name: "nutch", patterns: ["nutch"]),
            BotRuleFamily(name: "360spider", patterns: ["360spider", "haosouspider"]),
            BotRuleFamily(name: "apple", patterns: ["<swcd", "appsiteassociation", "aasa-bot", "apple-pubsub"]),
            BotRuleFamily(
                name: "scanner",
                patterns: [
                    "sqlmap", "nikto", "nessus", "acunetix", "openvas", "nuclei", "wpscan", "dirbuster",
                    "burpcollaborator", "jorgee", "zgrab", "masscan", "nmap", "whatweb", "watchtowr", "qualys",
                    "censys", "l9explore", "l9tcpid", "l9scan", "detectify", "probely", "clamav", "foregenix",
                ]),
            BotRuleFamily(
                name: "monitoring",
                patterns: [
                    "pingdom", "statuscake", "site24x7", "uptimerobot", "catchpoint", "<rigor>", "dmbrowser",
                    "observatory", "gtmetrix", "dareboost", "hexometer", "<uptrends", "nagios", "zabbix",
                    "prometheus", "datadog", "newrelic", "appinsights", "ghost inspector", "hotjar", "dejaclick",
                    "thousandeyes", "gomezagent", "<xymon", "<monit/", "<panopta",
                ]),
            BotRuleFamily(
                name: "seo-tools",
                patterns: [
                    "silktide", "hardenize", "marketgoo", "linktiger", "onetrust", "cookiehub", "securityheaders",
                    "webceo", "screaming frog", "sitebulb", "<oncrawl", "botify", "<lumar", "deepcrawl", "sistrix",
                    "seobility", "serpstat", "dataforseo", "blexbot", "megaindex", "linkdex", "seokicks", "spyfu",
                ]),
        ],
        keyword: [
            BotRuleFamily(
                name: "injection",
                patterns: [
                    "(select", "union select", "load_file(", "sleep(", "${jndi", "<script", "../..",
                ]),
            BotRuleFamily(name: "bot", patterns: ["bot>", "bots>", "robot"]),
            BotRuleFamily(name: "crawler", patterns: ["crawl"]),
            BotRuleFamily(name: "spider", patterns: ["spider", "spyder", "<spdr"]),
            BotRuleFamily(name: "scraper", patterns: ["scrap", "scaper"]),
            BotRuleFamily(name: "fetcher", patterns: ["fetch"]),
            BotRuleFamily(name: "archiver", patterns: ["archiv"]),
            BotRuleFamily(name: "indexer", patterns: ["indexer", "indexing"]),
            BotRuleFamily(
                name: "monitor",
                patterns: [
                    "monitor", "uptime", "synthetic", "healthcheck", "health check", "<check_http", "exporter/",
                    "kube-probe", "watchdog", "downtime", "isdown", "speedtest", "pagespeed", "status>",
                ]),
            BotRuleFamily(name: "checker", patterns: ["checker", "linkcheck", "link check", "checkup", "check>"]),
            BotRuleFamily(name: "scanner", patterns: ["scan", "fuzz"]),
            BotRuleFamily(
                name: "validator",
                patterns: [
                    "validat", "verifier", "verification", "verify", "inspect", "classif", "<w3c",
                ]),
            BotRuleFamily(name: "preview", patterns: ["preview", "unfurl", "linkexpand", "link expand"]),
            BotRuleFamily(
                name: "feed",
                patterns: [
                    "<rss", "rss>", "rss/", "feed", "podcast", "newsreader", "news reader", "newsblur", "<reeder/",
                    "readkit", "netnewswire", "inoreader", "feedly", "newsify", "instapaper", "newsnow",
                ]),
            BotRuleFamily(
                name: "http-client",
                patterns: [
                    "http client", "httpclient", "http-client", "http_client", "http_get", "http request",
                    "httprequest", "xmlhttp", "user-agent", "user agent", "useragent",
                ]),
            BotRuleFamily(name: "proxy", patterns: ["imgproxy", "image proxy", "imageproxy", "browserproxy"]),
            BotRuleFamily(name: "agent", patterns: ["agent/", "agent>"]),
            BotRuleFamily(
                name: "audit",
                patterns: [
                    "audit", "analyz", "analys", "<seo", "seo>", "sitemap", "lookup", "research", "<test",
                ]),
            BotRuleFamily(
                name: "downloader",
                patterns: [
                    "<download", "downloader", "offline explorer", "webcopier", "httrack", "webzip", "sitesucker",
                    "webcapture", "getter/",
                ]),
            BotRuleFamily(name: "webhook", patterns: ["webhook", "hook/", "callout"]),
            BotRuleFamily(name: "cron", patterns: ["cron-", "cron>", "cron.", "cronless", "easycron"]),
            BotRuleFamily(name: "render", patterns: ["screenshot", "renderer", "render/", "prerender"]),
            BotRuleFamily(name: "url", patterns: ["://", "www.", "+http", "mailto:"]),
            BotRuleFamily(
                name: "domain",
                patterns: [
                    "~.com>", "~.net>", "~.org>", "~.io>", "~.ai>", "~.app>", "~.dev>", "~.info>", "~.ru>", "~.fr>",
                    "~.uk>", "~.cz>", "~.nl>", "~.me>", "~.pl>", "~.it>", "~.es>", "~.ly>", "~.tools>", "~.tech>",
                ]),
            BotRuleFamily(name: "email", patterns: ["@gmail", "@outlook", "@yahoo", "@hotmail"]),
            BotRuleFamily(name: "prefixed", patterns: [", mozilla/", "|mozilla/"]),
        ],
        humanMarkers: [
            "fban/", "fbav/", "fb_iab", "fbios", "metaiab", "instagram", "musical_ly", "bytedancewebview",
            "bytelocale", "trill_", "snapchat", "naver(inapp", "<line/", "kakaotalk", "micromessenger", "wechat",
            "qq/", "[pinterest/", "pinterest for", "linkedinapp", "twitter for", "twitterandroid", "gsa/",
            "googleapp/", "yandexsearch", "baiduboxapp", "weibo", "whale/", "zalo", "viber/", "telegram-android",
            "discord/", "slack/", "slack_ssb", "tiktok/", "tiktok ",
        ],
        neutralTokens: [
            "cubot"
        ],
        platformTokens: [
            "opera", "android", "windows", "win32", "win64", "winnt", "win10", "win7", "macintosh", "mac os",
            "darwin", "cfnetwork", "iphone", "ipad", "ipod", "<ios", "midp", "cldc", "profile/", "<wap", "up.browser",
            "up.link", "nokia", "symbian", "series40", "series60", "blackberry", "bb10", "samsung", "sonyericsson",
            "docomo", "kddi", "softbank", "vodafone", "tizen", "webos", "web0s", "smarttv", "smart-tv", "hbbtv",
            "roku", "playstation", "nintendo", "xbox", "kaios", "lynx", "w3m", "<links", "dillo", "netfront", "obigo",
            "maui", "teleca", "ucweb", "ucbrowser", "dalvik", "cronet", "applewebkit", "gecko", "presto", "trident",
            "khtml", "chrome", "safari", "firefox", "msie", "freebsd", "openbsd", "netbsd", "sunos", "amiga",
            "risc os", "haiku", "beos", "os/2", "<palm", "<brew", "j2me", "<java", "<tv", "tv>", "mobile", "phone",
            "tablet", "browser", "x11", "upnp", "mosaic", "openvms", "amaya", "elinks", "netsurf", "konqueror",
            "ibrowse", "voyager", "unix", "solaris", "<aix", "hp-ux", "irix", "os x", "cros ",
        ],
        compatibleClients: [
            "msie", "konqueror", "ibrowse", "ncbrowser", "antgalio", "linux", "windows", "win", "mac", "gecko",
            "risc os", "u;", "u)", "googletv", "opera", "omniweb", "icab", "netpositive", "maxthon", "abrowse",
            "arachne", "galeon", "netfront", "blackberry", "playstation", "nintendo", "symbian", "series", "iemobile",
            "avant", "crazy browser", "amigavoyager", "voyager", "aweb", "dillo", "elinks", "lynx", "x11", "ipad",
            "iphone", "android", "tizen", "smarttv", "hbbtv",
        ]
    )
}
