import ShortLinkCore
import Testing

@Suite struct BotVerdictTests {
    @Test func human_hasNoReason() {
        #expect(!BotVerdict.human.isBot)
        #expect(BotVerdict.human.reason == nil)
        #expect(BotVerdict(reason: nil) == .human)
    }

    @Test func bot_carriesItsReason() {
        let verdict = BotVerdict.bot("crawler:googlebot")
        #expect(verdict.isBot)
        #expect(verdict.reason == "crawler:googlebot")
        #expect(verdict == BotVerdict(reason: "crawler:googlebot"))
        #expect(verdict != .bot("library:curl"))
    }
}
