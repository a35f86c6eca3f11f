import NIOCore
import Testing

@testable import LoadTestKit

@Suite struct ResponseParserTests {
    @Test func redirect_split_acrossReads_isReadOnceComplete() throws {
        var parser = ResponseParser(keepsLocation: true)
        let text =
            "HTTP/1.1 302 Found\r\nLocation: https://example.com/a\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nConnection: close\r\n\r\n"
        var buffer = ByteBuffer()
        var responses: [ResponseParser.Response] = []
        for byte in text.utf8 {
            buffer.writeInteger(byte)
            while buffer.readableBytes > 0, let response = try parser.next(&buffer, requestWasHead: false) {
                responses.append(response)
            }
        }
        #expect(
            responses == [
                .init(status: 302, location: "https://example.com/a", closes: false),
                .init(status: 404, location: nil, closes: true),
            ])
        #expect(buffer.readableBytes == 0)
    }

    @Test func head_answer_hasNoBodyDespiteContentLength() throws {
        var parser = ResponseParser()
        var buffer = ByteBuffer(string: "HTTP/1.1 302 Found\r\nContent-Length: 12\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        #expect(try parser.next(&buffer, requestWasHead: true)?.status == 302)
        #expect(try parser.next(&buffer, requestWasHead: false)?.status == 200)
    }

    @Test func chunked_and_garbage_areRefused() {
        var parser = ResponseParser()
        var chunked = ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(throws: ResponseParser.Failure.chunkedBody) { try parser.next(&chunked, requestWasHead: false) }
        var garbage = ByteBuffer(string: "SSH-2.0-OpenSSH\r\n\r\n")
        var fresh = ResponseParser()
        #expect(throws: ResponseParser.Failure.malformed) { try fresh.next(&garbage, requestWasHead: false) }
    }

    @Test func baseURL_parsesHostPortAndPrefix() {
        #expect(BaseURL("http://127.0.0.1:8080") == BaseURL("http://127.0.0.1:8080/"))
        #expect(BaseURL("http://localhost:18080/r/")?.pathPrefix == "/r")
        #expect(BaseURL("http://[::1]:9000")?.hostHeader == "[::1]:9000")
        #expect(BaseURL("https://x") == nil)
        #expect(BaseURL("http://host:99999") == nil)
        #expect(DurationText.nanoseconds("5s") == 5_000_000_000)
        #expect(DurationText.nanoseconds("250ms") == 250_000_000)
        #expect(DurationText.nanoseconds("1.5s") == 1_500_000_000)
        #expect(DurationText.nanoseconds("5x") == nil)
        #expect(DurationText.nanoseconds("-1s") == nil)
    }
}
