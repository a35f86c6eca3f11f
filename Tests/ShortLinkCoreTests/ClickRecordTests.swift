import ShortLinkCore
import Testing

private let eventID = EntityID("0190f3a2-7b4c-7d10-8e2f-0123456789ab")!
private let linkID = EntityID("11111111-2222-4333-8444-555555555555")!
private let when = Timestamp(microsecondsSinceEpoch: 1_795_000_000_123_456)

private func fullEvent(clientIP: IPAddress? = IPAddress("2001:db8::1"), method: ClickEvent.Method = .get) -> ClickEvent {
    ClickEvent(
        id: eventID, linkID: linkID, timestamp: when, clientIP: clientIP, method: method,
        userAgent: "Mozilla/5.0 (X11; Linux x86_64)", referer: "https://example.com/page?q=1",
        acceptLanguage: "en-GB,en;q=0.9", secPurpose: "prefetch;prerender", purpose: "prefetch",
        xPurpose: "preview", xMoz: "prefetch")
}

private func roundTrip(_ event: ClickEvent) throws -> ClickEvent {
    let decoded = try ClickRecord.decode(ClickRecord.encode([event]))
    try #require(decoded.events.count == 1)
    return decoded.events[0]
}

/// Overwrites the little-endian length prefix of the record starting at `offset`.
private func setLength(_ length: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: length >> (8 * index)) }
}

@Suite struct ClickRecordRoundTripTests {
    @Test func roundTrip_whenEveryFieldPresent_decodesEqualEvent() throws {
        let event = fullEvent()
        #expect(try roundTrip(event) == event)
    }

    @Test func roundTrip_whenEveryHeaderAbsent_keepsNil() throws {
        let event = ClickEvent(id: eventID, linkID: linkID, timestamp: when, clientIP: nil, method: .head)
        let bytes = ClickRecord.encode([event])
        #expect(bytes.count == ClickRecord.fixedLength + 2 * ClickRecord.fieldCount)
        let decoded = try roundTrip(event)
        #expect(decoded == event)
        #expect(decoded.userAgent == nil && decoded.referer == nil && decoded.acceptLanguage == nil)
        #expect(decoded.secPurpose == nil && decoded.purpose == nil && decoded.xPurpose == nil && decoded.xMoz == nil)
    }

    @Test func roundTrip_whenHeadersEmpty_keepsEmptyStringNotNil() throws {
        let event = ClickEvent(
            id: eventID, linkID: linkID, timestamp: when, clientIP: nil, method: .get,
            userAgent: "", referer: "", acceptLanguage: "", secPurpose: "", purpose: "", xPurpose: "", xMoz: "")
        let decoded = try roundTrip(event)
        let values = [
            decoded.userAgent, decoded.referer, decoded.acceptLanguage, decoded.secPurpose,
            decoded.purpose, decoded.xPurpose, decoded.xMoz,
        ]
        #expect(values == Array(repeating: "", count: 7))
    }

    @Test func roundTrip_whenSomeHeadersAbsent_keepsEachInItsPlace() throws {
        var event = fullEvent()
        event.referer = nil
        event.purpose = ""
        event.xMoz = nil
        #expect(try roundTrip(event) == event)
    }

    @Test(arguments: [nil, "1.2.3.4", "0.0.0.0", "2001:db8::8a2e:370:7334", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"] as [String?])
    func roundTrip_keepsClientIPOrItsAbsence(_ text: String?) throws {
        let ip = try text.map { try #require(IPAddress($0)) }
        let decoded = try roundTrip(fullEvent(clientIP: ip))
        #expect(decoded.clientIP == ip)
        #expect((decoded.clientIP == nil) == (text == nil))
    }

    @Test(arguments: [ClickEvent.Method.get, .head])
    func roundTrip_keepsMethod(_ method: ClickEvent.Method) throws {
        #expect(try roundTrip(fullEvent(method: method)).method == method)
    }

    @Test(arguments: [Int64.min, -1, 0, 1, Int64.max])
    func roundTrip_keepsExtremeTimestamps(_ micros: Int64) throws {
        var event = fullEvent()
        event.timestamp = Timestamp(microsecondsSinceEpoch: micros)
        #expect(try roundTrip(event).timestamp == event.timestamp)
    }

    @Test func roundTrip_whenUserAgentIsNonASCII_keepsUTF8() throws {
        var event = fullEvent()
        event.userAgent = "Bröwser/1.0 (日本語; Ελληνικά) 🚀👩‍👩‍👧"
        event.acceptLanguage = "zh-Hant-TW,ü;q=0.5"
        let decoded = try roundTrip(event)
        #expect(decoded.userAgent == event.userAgent)
        #expect(decoded == event)
    }
}

@Suite struct ClickRecordLayoutTests {
    @Test func append_writesTheDocumentedLayout() throws {
        let event = fullEvent(clientIP: IPAddress("2001:db8::1"), method: .head)
        let bytes = ClickRecord.encode([event])
        #expect(bytes[0..<4].elementsEqual(withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { Array($0) }))
        #expect(bytes[4] == ClickRecord.version)
        #expect(bytes[5] == ClickEvent.Method.head.rawValue)
        #expect(bytes[6] == 1)
        #expect(bytes[8..<24].elementsEqual(eventID.bytes))
        #expect(bytes[24..<40].elementsEqual(linkID.bytes))
        #expect(bytes[40..<48].elementsEqual(withUnsafeBytes(of: when.microsecondsSinceEpoch.littleEndian) { Array($0) }))
        #expect(bytes[48..<64].elementsEqual(try #require(IPAddress("2001:db8::1")).bytes16))
        let userAgent = Array("Mozilla/5.0 (X11; Linux x86_64)".utf8)
        #expect(bytes[64] == UInt8(userAgent.count) && bytes[65] == 0)
        #expect(bytes[66..<66 + userAgent.count].elementsEqual(userAgent))
    }

    @Test func append_whenNoClientIP_clearsFlagAndAddress() {
        let bytes = ClickRecord.encode([fullEvent(clientIP: nil)])
        #expect(bytes[6] == 0)
        #expect(bytes[48..<64].allSatisfy { $0 == 0 })
    }
}

@Suite struct ClickRecordTruncationTests {
    @Test(arguments: [0, 1, 2_047, 2_048, 2_049, 5_000, 70_000])
    func append_cutsFieldToMaximumLength(_ length: Int) throws {
        let text = String((0..<length).map { Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
        var event = fullEvent()
        event.referer = nil
        event.userAgent = text
        let bytes = ClickRecord.encode([event])
        let kept = min(length, ClickRecord.maximumFieldLength)
        let decoded = try roundTrip(event)
        #expect(decoded.userAgent == String(text.prefix(kept)))
        #expect(decoded.userAgent?.utf8.count == kept)
        #expect(decoded.acceptLanguage == event.acceptLanguage)
        #expect(decoded.referer == nil)
        var withoutUserAgent = event
        withoutUserAgent.userAgent = ""
        #expect(bytes.count == ClickRecord.encode([withoutUserAgent]).count + kept)
    }

    @Test func append_whenEveryFieldOverlong_writesLongestLegalRecord() throws {
        let long = String(repeating: "x", count: 5_000)
        let event = ClickEvent(
            id: eventID, linkID: linkID, timestamp: when, clientIP: nil, method: .get,
            userAgent: long, referer: long, acceptLanguage: long, secPurpose: long, purpose: long, xPurpose: long, xMoz: long)
        let bytes = ClickRecord.encode([event])
        #expect(bytes.count == ClickRecord.fixedLength + ClickRecord.fieldCount * (2 + ClickRecord.maximumFieldLength))
        let decoded = try roundTrip(event)
        let cut = String(repeating: "x", count: ClickRecord.maximumFieldLength)
        #expect(
            [
                decoded.userAgent, decoded.referer, decoded.acceptLanguage, decoded.secPurpose,
                decoded.purpose, decoded.xPurpose, decoded.xMoz,
            ] == Array(repeating: cut, count: 7))
    }

    @Test func append_whenCutSplitsAScalar_stillDecodesTheWholePrefix() throws {
        // "a" then two-byte "é"s: byte 2,048 is the first half of an "é".
        let whole = "a" + String(repeating: "é", count: 2_000)
        var event = fullEvent()
        event.userAgent = whole
        let decoded = try roundTrip(event)
        let userAgent = try #require(decoded.userAgent)
        #expect(userAgent.hasPrefix("a" + String(repeating: "é", count: 1_023)))
        #expect(!userAgent.hasPrefix("a" + String(repeating: "é", count: 1_024)))
        #expect(decoded.referer == event.referer)
    }
}

@Suite struct ClickRecordStreamTests {
    static func randomEvents(_ count: Int, seed: UInt64) -> [ClickEvent] {
        var generator = SplitMix64(seed: seed)
        let pool: [String?] = [
            nil, "", "curl/8.5.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)", "ünïcødé ✓", "prefetch",
            String(repeating: "long-", count: 100),
        ]
        func header() -> String? { pool[Int(generator.next() % UInt64(pool.count))] }
        return (0..<count).map { _ in
            let ip: IPAddress? =
                switch generator.next() % 3 {
                case 0: nil
                case 1: IPAddress(ipv4: UInt32(truncatingIfNeeded: generator.next()))
                default: IPAddress(high: generator.next(), low: generator.next())
                }
            return ClickEvent(
                id: .random(using: &generator), linkID: .random(using: &generator),
                timestamp: Timestamp(microsecondsSinceEpoch: Int64(bitPattern: generator.next())),
                clientIP: ip, method: generator.next() % 2 == 0 ? .get : .head,
                userAgent: header(), referer: header(), acceptLanguage: header(), secPurpose: header(),
                purpose: header(), xPurpose: header(), xMoz: header())
        }
    }

    @Test func decode_whenManyRecordsBackToBack_returnsThemInOrder() throws {
        let events = Self.randomEvents(2_000, seed: 7)
        #expect(Set(events.map(\.id)).count == events.count)
        let bytes = ClickRecord.encode(events)
        let decoded = try ClickRecord.decode(bytes)
        #expect(decoded.events == events)
        #expect(decoded.consumed == bytes.count)
    }

    @Test func decode_whenEmpty_returnsNothing() throws {
        let decoded = try ClickRecord.decode([])
        #expect(decoded.events.isEmpty)
        #expect(decoded.consumed == 0)
    }

    @Test func decode_whenFinalRecordTorn_returnsCompleteOnesAndTheirLength() throws {
        let complete = Self.randomEvents(2, seed: 11)
        let last = fullEvent()
        let completeBytes = ClickRecord.encode(complete)
        let bytes = ClickRecord.encode(complete + [last])
        let lastLength = bytes.count - completeBytes.count
        var mismatches: [Int] = []
        for dropped in 1..<lastLength {
            let decoded = try ClickRecord.decode(Array(bytes.dropLast(dropped)))
            if decoded.events != complete || decoded.consumed != completeBytes.count { mismatches.append(dropped) }
        }
        #expect(mismatches.isEmpty, "wrong result when dropping \(mismatches.prefix(10)) bytes")
        #expect(try ClickRecord.decode(bytes).events == complete + [last])
    }

    @Test func decode_whenOnlyRecordTorn_returnsNothing() throws {
        let bytes = ClickRecord.encode([fullEvent()])
        var mismatches: [Int] = []
        for kept in 0..<bytes.count {
            let decoded = try ClickRecord.decode(Array(bytes.prefix(kept)))
            if !decoded.events.isEmpty || decoded.consumed != 0 { mismatches.append(kept) }
        }
        #expect(mismatches.isEmpty, "decoded something from \(mismatches.prefix(10)) bytes")
    }
}

@Suite struct ClickRecordMalformedTests {
    static let minimumLength = ClickRecord.fixedLength + 2 * ClickRecord.fieldCount
    static let maximumLength = ClickRecord.fixedLength + ClickRecord.fieldCount * (2 + ClickRecord.maximumFieldLength)

    // Zero is not here: a zero length word is the end of a journal segment's records
    // (decode_stopsAtAZeroLengthWord).
    @Test(arguments: [1, 4, UInt32(minimumLength - 1), UInt32(maximumLength + 1), UInt32.max])
    func decode_whenLengthOutOfRange_throws(_ length: UInt32) throws {
        let first = ClickRecord.encode([fullEvent()])
        var bytes = ClickRecord.encode([fullEvent(), fullEvent(method: .head)])
        setLength(length, at: first.count, in: &bytes)
        let error = #expect(throws: ClickRecordError.self) { try ClickRecord.decode(bytes) }
        #expect(error?.offset == first.count)
    }

    @Test(arguments: [UInt32(5), 10, 63, 64, UInt32(minimumLength - 1)])
    func decode_whenShortTrailingRecordClaimsToBeComplete_throws(_ length: UInt32) throws {
        let first = ClickRecord.encode([fullEvent()])
        var fragment = [UInt8](repeating: 0, count: Int(length))
        setLength(length, at: 0, in: &fragment)
        fragment[4] = ClickRecord.version
        let error = #expect(throws: ClickRecordError.self) { try ClickRecord.decode(first + fragment) }
        #expect(error?.offset == first.count)
    }

    @Test(arguments: [-1, 1])
    func decode_whenLengthDisagreesWithFields_throws(_ delta: Int) throws {
        var bytes = ClickRecord.encode([fullEvent(), fullEvent(method: .head)])
        let length = ClickRecord.encode([fullEvent()]).count
        setLength(UInt32(length + delta), at: 0, in: &bytes)
        let error = #expect(throws: ClickRecordError.self) { try ClickRecord.decode(bytes) }
        #expect(error?.offset == 0)
    }

    @Test(arguments: [UInt8(0), 2, 255])
    func decode_whenVersionUnknown_throws(_ version: UInt8) throws {
        var bytes = ClickRecord.encode([fullEvent()])
        #expect(bytes[4] == ClickRecord.version)
        bytes[4] = version
        let error = #expect(throws: ClickRecordError.self) { try ClickRecord.decode(bytes) }
        #expect(error?.reason.contains("version") == true)
    }

    @Test(arguments: [UInt8(2), 3, 255])
    func decode_whenMethodUnknown_throws(_ method: UInt8) throws {
        var bytes = ClickRecord.encode([fullEvent(), fullEvent()])
        let second = bytes.count / 2
        bytes[second + 5] = method
        let error = #expect(throws: ClickRecordError.self) { try ClickRecord.decode(bytes) }
        #expect(error?.offset == second)
        #expect(error?.reason.contains("method") == true)
    }

    @Test func decode_whenFieldLengthOverrunsRecord_throws() throws {
        var bytes = ClickRecord.encode([fullEvent()])
        // The User-Agent length: claim more bytes than the record holds.
        bytes[ClickRecord.fixedLength] = 0xF0
        bytes[ClickRecord.fixedLength + 1] = 0x0F
        #expect(throws: ClickRecordError.self) { try ClickRecord.decode(bytes) }
    }
}

@Suite struct ClickBatchTests {
    @Test func events_decodesTheBatch() throws {
        let events = ClickRecordStreamTests.randomEvents(3, seed: 99)
        let batch = ClickBatch(bytes: ClickRecord.encode(events), count: events.count)
        #expect(try batch.events() == events)
    }

    @Test func events_whenEmpty_isEmpty() throws {
        #expect(try ClickBatch(bytes: [], count: 0).events().isEmpty)
    }

    @Test func events_whenMalformed_throws() {
        var bytes = ClickRecord.encode([fullEvent()])
        bytes[4] = 9
        let batch = ClickBatch(bytes: bytes, count: 1)
        #expect(throws: ClickRecordError.self) { try batch.events() }
    }
}

@Suite struct ClickRecordJournalTests {
    @Test func write_producesTheSameBytesAsAppend() {
        let agent = Array("Mozilla/5.0".utf8)
        let referer = Array("https://example.com/".utf8)
        agent.withUnsafeBytes { agentBytes in
            referer.withUnsafeBytes { refererBytes in
                var fields = ClickRecord.Fields()
                fields[.userAgent] = agentBytes
                fields[.referer] = refererBytes
                var appended: [UInt8] = []
                ClickRecord.append(
                    to: &appended, id: EntityID(high: 1, low: 2), linkID: EntityID(high: 3, low: 4),
                    timestamp: Timestamp(microsecondsSinceEpoch: 42), clientIP: IPAddress("2001:db8::1"), method: .get,
                    fields: fields)
                var raw = [UInt8](repeating: 0, count: 1_024)
                let length = raw.withUnsafeMutableBytes { buffer in
                    ClickRecord.write(
                        to: buffer.baseAddress!, id: EntityID(high: 1, low: 2), linkID: EntityID(high: 3, low: 4),
                        timestamp: Timestamp(microsecondsSinceEpoch: 42), clientIP: IPAddress("2001:db8::1"),
                        method: .get, fields: fields)
                }
                #expect(length == ClickRecord.encodedLength(fields))
                #expect(Array(raw[0..<length]) == appended)
            }
        }
    }

    @Test func decode_stopsAtAZeroLengthWord() throws {
        var bytes: [UInt8] = []
        ClickRecord.append(
            to: &bytes, id: EntityID(high: 1, low: 1), linkID: EntityID(high: 2, low: 2),
            timestamp: Timestamp(microsecondsSinceEpoch: 1), clientIP: nil, method: .get, fields: .init())
        let length = bytes.count
        bytes += [UInt8](repeating: 0, count: 64)
        let decoded = try ClickRecord.decode(bytes)
        #expect(decoded.events.count == 1)
        #expect(decoded.consumed == length)
    }
}
