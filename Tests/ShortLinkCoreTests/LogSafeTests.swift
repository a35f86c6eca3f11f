import ShortLinkCore
import Testing

@Suite struct LogSafeTests {
    @Test func escape_controlCharacters_stayOnOneLine() {
        #expect(LogSafe.escape("a\nb\r\tc") == #"a\nb\r\tc"#)
        #expect(LogSafe.escape("\u{0}\u{1B}[31m\u{7F}\u{85}") == #"\u{0}\u{1B}[31m\u{7F}\u{85}"#)
        #expect(LogSafe.escape("x\u{2028}y\u{2029}") == #"x\u{2028}y\u{2029}"#)
        #expect(LogSafe.escape("evil\u{202E}txt.exe") == #"evil\u{202E}txt.exe"#)
        #expect(!LogSafe.escape("\n[ERROR] forged").contains("\n"))
    }

    @Test func escape_quotesAndBackslashes_cannotCloseAQuotedValue() {
        #expect(LogSafe.escape(#"say "hi" \ bye"#) == #"say \"hi\" \\ bye"#)
    }

    @Test func escape_keepsPrintableUnicode() {
        #expect(LogSafe.escape("Müller 😀 日本") == "Müller 😀 日本")
    }

    @Test func escape_truncatesLongValues_andSaysHowMuchWasCut() {
        let text = String(repeating: "a", count: 600)
        #expect(LogSafe.escape(text) == String(repeating: "a", count: 512) + "…(88 more)")
        #expect(LogSafe.escape("abcdef", limit: 3) == "abc…(3 more)")
        #expect(LogSafe.escape("abc", limit: 3) == "abc")
        #expect("a\nb".escapedForLog == #"a\nb"#)
    }

    @Test func escape_describesNonStrings() {
        struct Failure: Error, CustomStringConvertible { var description: String { "bad\nline" } }
        #expect(LogSafe.escape(Failure()) == #"bad\nline"#)
    }
}
