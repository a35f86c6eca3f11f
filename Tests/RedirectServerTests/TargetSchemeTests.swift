import Testing

@testable import RedirectServer

@Suite struct TargetSchemeTests {
    @Test(arguments: ["https://example.com/", "http://example.com", "HTTPS://EXAMPLE.COM/x", "Http://a"])
    func redirectable_httpAndHTTPS(_ url: String) {
        #expect(TargetScheme.isRedirectable(url))
    }

    @Test(arguments: [
        "javascript:alert(1)", "JavaScript://x%0Aalert(1)", "data:text/html,x", "file:///etc/passwd", "vbscript:x", "ftp://x/",
        "https:example.com", "http:/x", "//example.com/", "", "httpsx://x", " https://x", "https", "blob:https://x/1",
    ])
    func notRedirectable_otherSchemesAndMalformed(_ url: String) {
        #expect(!TargetScheme.isRedirectable(url))
    }
}
