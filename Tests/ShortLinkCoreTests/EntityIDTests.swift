import ShortLinkCore
import Testing

@Suite struct EntityIDTests {
    @Test func parse_thenFormat_roundTrips() throws {
        let text = "01234567-89ab-cdef-fedc-ba9876543210"
        let id = try #require(EntityID(text))
        #expect(id.description == text)
        #expect(EntityID(text.uppercased()) == id)
        #expect(id.bytes.first == 0x01 && id.bytes.last == 0x10)
    }

    @Test(arguments: [
        "", "0123456789abcdef", "01234567-89ab-cdef-fedc-ba987654321", "01234567-89ab-cdef-fedc-ba98765432100",
        "0123456789ab-cdef-fedc-ba9876543210-", "g1234567-89ab-cdef-fedc-ba9876543210",
    ])
    func parse_rejectsMalformed(_ text: String) {
        #expect(EntityID(text) == nil)
    }

    @Test func random_isVersion4WithRFCVariant() {
        let id = EntityID.random()
        #expect(id.version == 4)
        #expect(id.low >> 62 == 0b10)
        #expect(EntityID.random() != id)
    }

    @Test func version7_embedsMillisecondsAndSortsByTime() {
        var generator = SystemRandomNumberGenerator()
        let early = EntityID.version7(unixMilliseconds: 1_700_000_000_000, using: &generator)
        let late = EntityID.version7(unixMilliseconds: 1_700_000_000_001, using: &generator)
        #expect(early.version == 7)
        #expect(early.high >> 16 == 1_700_000_000_000)
        #expect(early < late)
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (Int64(951_782_400_000_001), "2000-02-29T00:00:00.000001Z"),
        (Int64(-1), "1969-12-31T23:59:59.999999Z"),
        (Int64(1_795_000_000_123_456), "2026-11-18T11:06:40.123456Z"),
    ])
    func iso8601_formatsUTC(_ micros: Int64, _ expected: String) {
        #expect(Timestamp(microsecondsSinceEpoch: micros).iso8601 == expected)
    }

    @Test func unixMilliseconds_roundsDown() {
        #expect(Timestamp(microsecondsSinceEpoch: 1_999).unixMilliseconds == 1)
        #expect(Timestamp(microsecondsSinceEpoch: -1).unixMilliseconds == -1)
    }
}

@Suite struct ShortCodeTests {
    @Test(arguments: ["a", "Abc_123-x", String(repeating: "z", count: 64)])
    func valid(_ code: String) { #expect(ShortCode(code)?.rawValue == code) }

    @Test(arguments: ["", "has space", "slash/", "dot.", "ünï", String(repeating: "z", count: 65), "q?x"])
    func invalid(_ code: String) { #expect(ShortCode(code) == nil) }
}

@Suite struct NamesTests {
    @Test func normalized_trimsAndRejectsBlank() throws {
        #expect(try Names.normalized("  Acme \n", field: "name") == "Acme")
        #expect(throws: ValidationError(field: "name", message: "must not be empty", rule: "blank")) { try Names.normalized(" \t", field: "name") }
        #expect(throws: ValidationError.self) { try Names.normalized(String(repeating: "x", count: 201), field: "name") }
    }

    @Test func normalized_countsCodePointsAndBytes_andRefusesControls() throws {
        func rule(_ name: String) -> String? {
            do throws(ValidationError) {
                _ = try Names.normalized(name, field: "name")
                return nil
            } catch { return error.rule }
        }
        #expect(rule("a" + String(repeating: "\u{301}", count: 199)) == nil, "200 code points")
        #expect(rule("a" + String(repeating: "\u{301}", count: 200)) == "too_long", "one character, 201 code points")
        #expect(rule(String(repeating: "😀", count: 200)) == nil, "800 bytes")
        #expect(rule(String(repeating: "😀", count: 201)) == "too_long")
        #expect(rule("x\u{0}y") == "control_character")
        #expect(rule("a\tb") == "control_character")
        #expect(rule("a\u{9B}b") == "control_character")
        #expect(rule("Müller & Söhne") == nil)
    }

    @Test func normalizedTags_dedupesKeepingOrder() throws {
        #expect(try Names.normalizedTags(["b", " a", "b ", "c"]) == ["b", "a", "c"])
    }
}
