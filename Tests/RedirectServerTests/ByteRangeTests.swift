import Testing

@testable import RedirectServer

/// `ByteRange` and the rebasing `UnsafeRawBufferPointer` subscript.
@Suite struct ByteRangeTests {
    @Test func end_whenStartAndCount_returnsStartPlusCount() {
        #expect(ByteRange(start: 3, count: 4).end == 7)
        #expect(ByteRange(start: 5, count: 0).end == 5)
    }

    @Test func subscript_whenRange_returnsRebasedSlice() {
        let bytes: [UInt8] = Array("GET /abc HTTP/1.1".utf8)
        bytes.withUnsafeBytes { buffer in
            let path = buffer[ByteRange(start: 4, count: 4)]
            #expect(path.count == 4)
            #expect(path.startIndex == 0)
            #expect(Array(path) == Array("/abc".utf8))
            #expect(buffer[ByteRange(start: 8, count: 0)].isEmpty)
            #expect(Array(buffer[ByteRange(start: 0, count: bytes.count)]) == bytes)
        }
    }
}
