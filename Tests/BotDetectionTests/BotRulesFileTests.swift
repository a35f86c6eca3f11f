import BotDetection
import Foundation
import ShortLinkCore
import Testing

/// `Config/bot-rules.json` and ``BotRules/builtIn`` are the same rules.
@Suite struct BotRulesFileTests {
    private static let rulesFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Config/bot-rules.json")

    @Test func configFile_decodesToTheBuiltInRules() throws {
        let data = try Data(contentsOf: Self.rulesFile)
        let decoded = try JSONDecoder().decode(BotRules.self, from: data)
        #expect(decoded.version == BotRules.builtIn.version)
        for (name, file, builtIn) in [
            ("preview", decoded.preview, BotRules.builtIn.preview), ("headless", decoded.headless, BotRules.builtIn.headless),
            ("library", decoded.library, BotRules.builtIn.library), ("crawler", decoded.crawler, BotRules.builtIn.crawler),
            ("keyword", decoded.keyword, BotRules.builtIn.keyword),
        ] {
            #expect(file == builtIn, "category \(name) differs")
        }
        #expect(decoded.humanMarkers == BotRules.builtIn.humanMarkers)
        #expect(decoded.neutralTokens == BotRules.builtIn.neutralTokens)
        #expect(decoded.platformTokens == BotRules.builtIn.platformTokens)
        #expect(decoded.compatibleClients == BotRules.builtIn.compatibleClients)
        #expect(decoded == BotRules.builtIn)
    }

    @Test func builtInRules_haveUniqueLowercaseFamilyNamesPerCategory() {
        let rules = BotRules.builtIn
        for families in [rules.preview, rules.headless, rules.library, rules.crawler, rules.keyword] {
            let names = families.map(\.name)
            #expect(Set(names).count == names.count)
            #expect(names.allSatisfy { $0 == $0.lowercased() && !$0.contains(" ") })
            #expect(families.allSatisfy { !$0.patterns.isEmpty })
        }
    }

    @Test func classifier_whenRulesChange_followsTheData() {
        var rules = BotRules.builtIn
        rules.keyword.insert(BotRuleFamily(name: "acme", patterns: ["<acmesync"]), at: 0)
        let classifier = BotClassifier(rules: rules)
        #expect(classifier.classify(ClassificationInput(userAgent: "AcmeSyncService/3.1")) == .bot("keyword:acme"))
        let empty = BotClassifier(rules: BotRules(version: 0, preview: [], headless: [], library: [], crawler: [], keyword: []))
        #expect(empty.classify(ClassificationInput(userAgent: "curl/8.4.0")) == .human)
        #expect(empty.rulesVersion == 0)
    }
}
