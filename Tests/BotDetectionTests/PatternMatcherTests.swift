import Testing

@testable import BotDetection

/// The pattern language of the rules: substrings with anchors, device masking, neutral tokens.
@Suite struct PatternMatcherTests {
    private func matches(_ pattern: String, in text: String, role: PatternMatcher.Role = .plain) -> Bool {
        let matcher = PatternMatcher([(TokenPattern(pattern), role)])
        let bytes = ASCII.trimmedLowercase(text)
        var found = false
        bytes.withUnsafeBufferPointer { bytes in
            matcher.forEachMatch(in: bytes, masked: DeviceSegments.ranges(in: bytes)) { _ in found = true }
        }
        return found
    }

    @Test(arguments: [
        ("bot>", "Googlebot/2.1", true), ("bot>", "adbeat_bot", true), ("bot>", "BOTECH TV", false),
        ("bot>", "robots.txt", false), ("<curl/", "curl/8.4", true), ("<curl/", "libcurl/7.1", false),
        ("^whatsapp>", "WhatsApp/2.23", true), ("^whatsapp>", "Mozilla WhatsApp", false), ("^viber$", "Viber", true),
        ("^viber$", "Viber/12.8", false), ("~.com>", "see example.com/bot", true), ("~.com>", "(compatible; x)", false),
        ("~.com>", "example.community", false), ("x", "X", true),
    ])
    func pattern_anchors(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(matches(pattern, in: text) == expected)
    }

    @Test func maskable_whenInsideAndroidDeviceSegment_isIgnored() {
        let phone = "Mozilla/5.0 (Linux; Android 7.0; M bot 51) AppleWebKit/537.36 Chrome/81.0 Mobile Safari/537.36"
        #expect(!matches("bot>", in: phone, role: .maskable))
        #expect(matches("bot>", in: phone, role: .plain))
        #expect(matches("bot>", in: phone + " SomeBot/1.0", role: .maskable))
    }

    @Test func neutralToken_masksTheKeywordsItContains() {
        let matcher = PatternMatcher([(TokenPattern("cubot"), .neutral), (TokenPattern("bot>"), .maskable)])
        var found: [Int] = []
        let bytes = ASCII.trimmedLowercase("Instagram 94.0 Android (22/5.1; 320dpi; CUBOT; S550 Pro)")
        bytes.withUnsafeBufferPointer { bytes in
            matcher.forEachMatch(in: bytes, masked: .none) { found.append($0) }
        }
        #expect(found == [0])
    }

    @Test func deviceSegments_coverAndroidModelHbbTVGroupAndModelToken() {
        let text = "mozilla/5.0 (linux; android 9; test box) hbbtv/1.5.1 (+drm; test; x) model/test-1 chrome"
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { bytes in
            let ranges = DeviceSegments.ranges(in: bytes)
            let positions = text.utf8.indices.map { text.utf8.distance(from: text.utf8.startIndex, to: $0) }
            let masked = positions.filter { ranges.contains($0) }.map { Character(UnicodeScalar(bytes[$0])) }
            // The HbbTV group is masked up to, not including, its closing parenthesis.
            #expect(String(masked) == " test box" + "(+drm; test; x" + "model/test-1")
        }
    }
}
