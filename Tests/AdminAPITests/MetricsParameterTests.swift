import ShortLinkCore
import Testing

@testable import AdminAPI
@testable import ShortLinkApp
@testable import Storage

/// The pure parts of metrics and exports: parameter defaults, range rounding, local time
/// labels, CSV record counting.
@Suite struct MetricsParameterTests {
    static let now = ISO8601.parse("2026-11-22T10:30:15Z")!

    @Test func defaults_areTheLast30DaysByDay_inUTC_peopleOnly() throws {
        let query = try MetricsParameters([], scope: .organisation, now: Self.now).query
        #expect(query.to == Self.now)
        #expect(query.from == Self.now.adding(seconds: -30 * 86_400))
        #expect(query.interval == .day)
        #expect(query.timeZone == "UTC")
        #expect(!query.includeBots)
        #expect(query.top == 10)
        let fromOnly = try MetricsParameters([("from", "2026-11-01")], scope: .organisation, now: Self.now).query
        #expect(fromOnly.to == Self.now, "30 days after from is later than now")
        let toOnly = try MetricsParameters([("to", "2026-10-01")], scope: .organisation, now: Self.now).query
        #expect(toOnly.from == ISO8601.parse("2026-09-01T00:00:00Z"))
    }

    @Test func fromAlone_endsNow_howeverLongAgoItIs() throws {
        // README and OpenAPI: `to` defaults to now. It used to end 30 days after `from`.
        let since = try MetricsParameters([("from", "2026-08-01")], scope: .organisation, now: Self.now).query
        #expect(since.from == ISO8601.parse("2026-08-01T00:00:00Z"))
        #expect(since.to == Self.now)
        #expect(throws: APIError.self) {
            try MetricsParameters([("from", "2026-12-01")], scope: .organisation, now: Self.now)
        }
    }

    @Test func aRepeatedParameter_isA400_namingIt() throws {
        for name in ["from", "to", "interval", "tz", "includeBots", "top"] {
            let value = ["from": "2026-11-01", "to": "2026-11-02", "interval": "day", "tz": "UTC", "includeBots": "true", "top": "5"][name]!
            do {
                _ = try MetricsParameters([(name, value), (name, value)], scope: .organisation, now: Self.now)
                Issue.record("\(name) twice was accepted")
            } catch {
                #expect(error.errors.map(\.field) == [name])
                #expect(error.errors.map(\.code) == ["repeated"])
            }
        }
        let reader = QueryReader([("tag", "a"), ("tag", "b"), ("from", "x")], known: ["tag", "from"], repeatable: ["tag"])
        #expect(reader.errors.isEmpty)
        #expect(reader.all("tag") == ["a", "b"])
        #expect(reader.all("link").isEmpty)
    }

    @Test func shortCodes_startingLikeAFormula_getAQuote_unlessRaw() {
        let id = EntityID(high: 1, low: 2)
        let row = Array("\(EntityID(high: 9, low: 9)),2026-11-22T10:30:15.000000Z,\(id),false,,,,,,,,,\n".utf8)
        func output(raw: Bool) -> String {
            var bytes: [UInt8] = []
            row.withUnsafeBytes { ClickExport.ShortCodes([(id, "-1+2")], raw: raw).insert($0, into: &bytes) }
            return String(decoding: bytes, as: UTF8.self)
        }
        #expect(output(raw: false).contains(",\(id),'-1+2,false,"))
        #expect(output(raw: true).contains(",\(id),-1+2,false,"))
        #expect(ClickExport.cell("x", raw: true) == "x")
        #expect(ClickExport.cell("x", raw: false).hasPrefix("CASE WHEN left(x, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r')"))
    }

    @Test func rangesWidenToWholeHours_andTopListsCoverEveryDayTouched() {
        let query = MetricsQuery(
            scope: .organisation, from: ISO8601.parse("2026-11-20T23:59:59Z")!, to: ISO8601.parse("2026-11-22T00:00:01Z")!)
        #expect(query.firstHour.iso8601 == "2026-11-20T23:00:00.000000Z")
        #expect(query.endHour.iso8601 == "2026-11-22T01:00:00.000000Z")
        let first = ISO8601.parse("2026-11-20")!.microsecondsSinceEpoch / 86_400_000_000
        #expect(query.dayRange == first...(first + 2))
        let aligned = MetricsQuery(scope: .organisation, from: ISO8601.parse("2026-11-20")!, to: ISO8601.parse("2026-11-21")!)
        #expect(aligned.endHour == ISO8601.parse("2026-11-21")!)
        #expect(aligned.dayRange == first...first)
    }

    @Test func timeZones_areIANANamesOnly() {
        for zone in ["UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Asia/Kolkata"] {
            #expect(MetricsParameters.isTimeZone(zone), "\(zone)")
        }
        for zone in ["", "Mars/Olympus", "Europe/Berlin'; DROP TABLE links; --", "../../etc/passwd", "CEST"] {
            #expect(!MetricsParameters.isTimeZone(zone), "\(zone)")
        }
    }

    @Test func localTimes_carryTheZoneOffset() {
        let instant = ISO8601.parse("2026-03-28T23:00:00Z")!
        #expect(LocalTime.format(instant, offsetSeconds: 3600) == "2026-03-29T00:00:00+01:00")
        #expect(LocalTime.format(instant, offsetSeconds: 0) == "2026-03-28T23:00:00Z")
        #expect(LocalTime.format(instant, offsetSeconds: -(4 * 3600 + 30 * 60)) == "2026-03-28T18:30:00-04:30")
        #expect(LocalTime.format(instant, offsetSeconds: 5 * 3600 + 45 * 60) == "2026-03-29T04:45:00+05:45")
    }

    @Test func csvRecords_areCountedOutsideQuotesOnly() {
        var counter = CSVRowCounter()
        counter.count(Array("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\n".utf8))
        #expect(counter.rows == 2)
        counter.count(Array("\"split".utf8))
        counter.count(Array(" across\nchunks\",z\n".utf8))
        #expect(counter.rows == 3)
    }
}

/// Which rows a metrics query reads.
@Suite struct MetricsRowChoiceTests {
    func query(_ from: String, _ to: String, _ interval: MetricsInterval = .day, _ zone: String = "UTC") -> MetricsQuery {
        MetricsQuery(scope: .organisation, from: ISO8601.parse(from)!, to: ISO8601.parse(to)!, interval: interval, timeZone: zone)
    }

    func day(_ text: String) -> Int64 { ISO8601.parse(text)!.microsecondsSinceEpoch / 86_400_000_000 }

    @Test func wholeUTCDaysComeFromDailyRows_onlyForUTCBucketsOfADayOrMore() {
        let q = query("2026-08-24T10:15:00Z", "2026-11-22T09:00:00Z")
        #expect(q.usesDailyRows)
        #expect(q.fullDays == day("2026-08-25")..<day("2026-11-22"))
        #expect(query("2026-08-24", "2026-08-26").fullDays == day("2026-08-24")..<day("2026-08-26"))
        #expect(query("2026-08-24T01:00:00Z", "2026-08-24T23:00:00Z").fullDays.isEmpty)
        #expect(!query("2026-08-24", "2026-08-26", .hour).usesDailyRows)
        #expect(!query("2026-08-24", "2026-08-26", .day, "Europe/Berlin").usesDailyRows)
        #expect(query("2026-08-24", "2026-08-26", .month, "Etc/UTC").usesDailyRows)
    }

    @Test func wholeMonths_areFoundInTheDaysTheRangeTouches() {
        #expect(query("2026-06-01", "2026-07-01").spansAWholeMonth)
        #expect(query("2026-05-31T23:00:00Z", "2026-07-01").spansAWholeMonth)
        #expect(!query("2026-06-01", "2026-06-30").spansAWholeMonth)
        #expect(!query("2026-06-02", "2026-07-31").spansAWholeMonth)
        #expect(query("2026-06-02", "2026-08-01").spansAWholeMonth)
        #expect(query("2025-12-15", "2026-02-01").spansAWholeMonth)
        #expect(!query("2025-12-15", "2026-01-31").spansAWholeMonth)
    }
}

/// The clicks report's short code, spliced in while streaming.
@Suite struct ShortCodeSpliceTests {
    @Test func theCodeGoesAfterTheLinkId_andAnUnknownLinkGetsAnEmptyField() {
        let known = EntityID.random()
        let codes = ClickExport.ShortCodes([(known, "spring-sale")])
        let id = EntityID.random().description
        let time = "2026-11-22T10:04:05.123456Z"
        func splice(_ row: String) -> String {
            var output: [UInt8] = []
            Array(row.utf8).withUnsafeBytes { codes.insert($0, into: &output) }
            return String(decoding: output, as: UTF8.self)
        }
        #expect(splice("\(id),\(time),\(known),false,,DE\n") == "\(id),\(time),\(known),spring-sale,false,,DE\n")
        let stranger = EntityID.random()
        #expect(splice("\(id),\(time),\(stranger),true,library:curl\n") == "\(id),\(time),\(stranger),,true,library:curl\n")
        #expect(splice("short,row\n") == "short,row\n")
        #expect(String(decoding: ClickExport.ShortCodes.header, as: UTF8.self) == ClickExport.clickColumns.joined(separator: ",") + "\n")
    }
}

extension ShortCodeSpliceTests {
    @Test func uuidTextIsReadLikeEntityID() {
        for _ in 0..<100 {
            let id = EntityID.random()
            let parsed = Array(id.description.utf8).withUnsafeBytes { ClickExport.ShortCodes.id($0) }
            #expect(parsed == id)
        }
        for bad in ["", "not-a-uuid", "0123456789abcdef0123456789abcdef0123", "01234567-89ab-cdef-0123-456789ABCDEF"] {
            #expect(Array(bad.utf8).withUnsafeBytes { ClickExport.ShortCodes.id($0) } == nil, "\(bad)")
        }
    }
}
