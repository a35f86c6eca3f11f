import ShortLinkCore
import Testing

/// The one list of captured headers, and the inline storage the edge carries them in.
@Suite struct CapturedHeaderTests {
    @Test func count_matchesTheCasesAndTheRecordFormat() {
        #expect(CapturedHeader.count == CapturedHeader.allCases.count)
        #expect(ClickRecord.fieldCount == CapturedHeader.allCases.count)
        #expect(Set(CapturedHeader.allCases.map { $0.name.lowercased() }).count == CapturedHeader.count)
    }

    @Test func headers_storeEachValueUnderItsOwnHeader() {
        var headers = CapturedHeaders<String>()
        for header in CapturedHeader.allCases { headers[header] = header.name }
        for header in CapturedHeader.allCases { #expect(headers[header] == header.name) }
        var order: [String?] = []
        headers.forEach { order.append($0) }
        #expect(order == CapturedHeader.allCases.map(\.name))
        #expect(headers.map(\.utf8.count)[.acceptLanguage] == "Accept-Language".utf8.count)
        headers[.referer] = nil
        #expect(headers[.referer] == nil && headers[.userAgent] == "User-Agent")
    }

    @Test func clickEvent_namedAccessorsReadTheHeaders() {
        var event = ClickEvent(
            id: .random(), linkID: .random(), timestamp: Timestamp(microsecondsSinceEpoch: 0), clientIP: nil, method: .get,
            userAgent: "ua", xMoz: "prefetch")
        #expect(event.headers[.userAgent] == "ua" && event.headers[.xMoz] == "prefetch" && event.referer == nil)
        event.referer = "https://ref.example/"
        #expect(event.headers[.referer] == "https://ref.example/")
    }
}
