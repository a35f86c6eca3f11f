import Testing

@testable import RedirectServer

/// `RequestHeadLimits`: defaults, exact boundaries, early rejection of incomplete oversize heads.
@Suite struct RequestHeadParserLimitTests {
    /// 20 bytes including CRLF.
    static let requestLine = "GET /aaaa HTTP/1.1\r\n"
    /// 3 header lines, 24 bytes including the final CRLF.
    static let headerSection = "Host: h\r\nX: 1\r\nY: 12\r\n\r\n"

    static func limits(line: Int = 8_192, headers: Int = 8_192, count: Int = 64) -> RequestHeadLimits {
        RequestHeadLimits(maxRequestLineBytes: line, maxHeaderBytes: headers, maxHeaderCount: count)
    }

    @Test func init_whenNoArguments_usesDocumentedDefaults() {
        let limits = RequestHeadLimits()
        #expect(limits.maxRequestLineBytes == 8_192)
        #expect(limits.maxHeaderBytes == 8_192)
        #expect(limits.maxHeaderCount == 64)
        #expect(RequestHeadLimits(maxHeaderCount: 3) == RequestHeadLimits(maxRequestLineBytes: 8_192, maxHeaderBytes: 8_192, maxHeaderCount: 3))
    }

    // MARK: Request line

    @Test func parse_whenRequestLineExactlyAtLimit_returnsComplete() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(line: 20)).head != nil)
    }

    @Test func parse_whenRequestLineOneByteOverLimit_returnsRequestLineTooLong() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(line: 19)).result == .invalid(.requestLineTooLong))
    }

    @Test func parse_whenIncompleteRequestLineReachesLimit_returnsRequestLineTooLongWithoutWaiting() {
        let limits = Self.limits(line: 100)
        let long = "GET /" + String(repeating: "a", count: 200)
        for length in 1...long.utf8.count {
            let result = parseBytes(Array(long.utf8.prefix(length)), limits: limits)
            let expected: RequestHeadParseResult = length < 100 ? .incomplete : .invalid(.requestLineTooLong)
            if result != expected { Issue.record("length \(length): \(result)") }
        }
        // The CR fits but its LF would be the 101st byte.
        let crAtLimit = "GET /" + String(repeating: "a", count: 85) + " HTTP/1.1\r"
        #expect(crAtLimit.utf8.count == 100)
        #expect(ParsedRequest(crAtLimit, limits: limits).result == .invalid(.requestLineTooLong))
    }

    @Test func parse_whenLeadingEmptyLinesCount_appliesRequestLineLimitToThem() {
        let text = "\r\n\r\n" + Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(line: 24)).head?.headLength == text.utf8.count)
        #expect(ParsedRequest(text, limits: Self.limits(line: 23)).result == .invalid(.requestLineTooLong))
    }

    @Test func parse_whenOnlyEmptyLinesStreamed_returnsRequestLineTooLong() {
        let endless = String(repeating: "\r\n", count: 4_097)
        #expect(ParsedRequest(endless).result == .invalid(.requestLineTooLong))
        #expect(ParsedRequest(String(repeating: "\r\n", count: 4_095)).result == .incomplete)
    }

    // MARK: Header section

    @Test func parse_whenHeaderSectionExactlyAtLimit_returnsComplete() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(headers: 24)).head?.headLength == text.utf8.count)
    }

    @Test func parse_whenHeaderSectionOneByteOverLimit_returnsHeadersTooLarge() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(headers: 23)).result == .invalid(.headersTooLarge))
    }

    @Test func parse_whenIncompleteHeaderSectionReachesLimit_returnsHeadersTooLargeWithoutWaiting() {
        let limits = Self.limits(headers: 50)
        let text = Self.requestLine + "Host: h\r\nUser-Agent: " + String(repeating: "u", count: 100)
        for length in 20...text.utf8.count {
            let result = parseBytes(Array(text.utf8.prefix(length)), limits: limits)
            let expected: RequestHeadParseResult = length < 70 ? .incomplete : .invalid(.headersTooLarge)
            if result != expected { Issue.record("length \(length): \(result)") }
        }
    }

    @Test func parse_whenHeaderCountAtLimit_returnsComplete() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(count: 3)).head != nil)
        #expect(ParsedRequest("GET / HTTP/1.0\r\n\r\n", limits: Self.limits(count: 0)).head != nil)
    }

    @Test func parse_whenHeaderCountOverLimit_returnsHeadersTooLarge() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(count: 2)).result == .invalid(.headersTooLarge))
    }

    @Test func parse_whenExtraHeaderLineStartsBeforeHeadIsComplete_returnsHeadersTooLargeWithoutWaiting() {
        let limits = Self.limits(count: 2)
        #expect(ParsedRequest(Self.requestLine + "Host: h\r\nX: 1\r\n", limits: limits).result == .incomplete)
        #expect(ParsedRequest(Self.requestLine + "Host: h\r\nX: 1\r\nY", limits: limits).result == .invalid(.headersTooLarge))
    }

    @Test func parse_whenLimitsHuge_doesNotOverflow() {
        let limits = Self.limits(line: .max, headers: .max, count: .max)
        #expect(ParsedRequest(Self.requestLine + Self.headerSection, limits: limits).head != nil)
        #expect(ParsedRequest(Self.requestLine + "Host: h\r\n", limits: limits).result == .incomplete)
    }

    @Test func parse_whenLimitsZeroOrNegative_rejectsWithoutCrashing() {
        let text = Self.requestLine + Self.headerSection
        #expect(ParsedRequest(text, limits: Self.limits(line: 0)).result == .invalid(.requestLineTooLong))
        #expect(ParsedRequest(text, limits: Self.limits(line: -5)).result == .invalid(.requestLineTooLong))
        #expect(ParsedRequest(text, limits: Self.limits(headers: 0)).result == .invalid(.headersTooLarge))
        #expect(ParsedRequest(text, limits: Self.limits(headers: .min)).result == .invalid(.headersTooLarge))
        #expect(ParsedRequest(text, limits: Self.limits(count: -1)).result == .invalid(.headersTooLarge))
    }

    // MARK: Generated requests against exact limits

    @Test func parse_whenGeneratedRequestsMeetOrExceedLimits_returnsCompleteOrTheLimitError() {
        var generator = RequestGenerator(seed: 0x5EED_0005)
        for iteration in 0..<1_000 {
            let request = generator.next()
            let exact = Self.limits(
                line: request.requestLineLength, headers: request.headerSectionLength, count: request.headerCount)
            var failures: [String] = []
            func check(_ limits: RequestHeadLimits, _ expected: RequestHeadParseResult?, _ label: String) {
                let result = parseBytes(request.bytes, limits: limits)
                if let expected {
                    if result != expected { failures.append("\(label): \(result)") }
                } else if case .complete(let head) = result {
                    if let mismatch = request.mismatch(in: head, buffer: request.bytes) { failures.append("\(label): \(mismatch)") }
                } else {
                    failures.append("\(label): \(result)")
                }
            }
            check(exact, nil, "exact")
            var tooShortLine = exact
            tooShortLine.maxRequestLineBytes -= 1
            check(tooShortLine, .invalid(.requestLineTooLong), "line - 1")
            var tooFewHeaderBytes = exact
            tooFewHeaderBytes.maxHeaderBytes -= 1
            check(tooFewHeaderBytes, .invalid(.headersTooLarge), "header bytes - 1")
            if request.headerCount > 0 {
                var tooFewHeaders = exact
                tooFewHeaders.maxHeaderCount -= 1
                check(tooFewHeaders, .invalid(.headersTooLarge), "header count - 1")
            }
            if !failures.isEmpty {
                Issue.record("iteration \(iteration) \(String(decoding: request.bytes, as: UTF8.self).debugDescription): \(failures)")
                return
            }
        }
    }
}
