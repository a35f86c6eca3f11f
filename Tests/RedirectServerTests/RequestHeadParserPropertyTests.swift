import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import RedirectServer

/// Seeded randomized properties: generated valid requests, prefixes, mutations and garbage.
@Suite struct RequestHeadParserPropertyTests {
    /// Checks that a result is well-formed for `bytes`: a complete head has every range inside the head,
    /// and it is exactly the head the reference model finds. Returns a failure description or nil.
    static func violation(of result: RequestHeadParseResult, for bytes: [UInt8]) -> String? {
        let reference = ReferenceRequestHeadParser.completeHead(bytes)
        guard case .complete(let head) = result else {
            return reference == nil ? nil : "parser said \(result), reference found \(reference!)"
        }
        guard head.headLength > 0, head.headLength <= bytes.count else { return "headLength \(head.headLength)" }
        for range in allRanges(of: head) where range.start < 0 || range.count < 0 || range.end > head.headLength {
            return "range \(range) outside head of \(head.headLength)"
        }
        guard head == reference else { return "parser \(head) != reference \(String(describing: reference))" }
        return nil
    }

    static func describe(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).debugDescription
    }

    // MARK: 1. Generated valid requests

    @Test func parse_whenGeneratedValidRequest_returnsExactlyTheGeneratedFields() {
        var generator = RequestGenerator(seed: 0x5EED_0001)
        for iteration in 0..<3_000 {
            let request = generator.next()
            let result = parseBytes(request.bytes)
            guard case .complete(let head) = result else {
                Issue.record("iteration \(iteration): \(result) for \(Self.describe(request.bytes))")
                return
            }
            if let mismatch = request.mismatch(in: head, buffer: request.bytes) {
                Issue.record("iteration \(iteration): \(mismatch) for \(Self.describe(request.bytes))")
                return
            }
            if let violation = Self.violation(of: result, for: request.bytes) {
                Issue.record("iteration \(iteration): \(violation) for \(Self.describe(request.bytes))")
                return
            }
        }
    }

    @Test func parse_whenGeneratedRequestsPipelined_parsesEachFromThePreviousHeadLength() {
        var generator = RequestGenerator(seed: 0x5EED_0011)
        for iteration in 0..<500 {
            let requests = (0..<3).map { _ in generator.next() }
            let buffer = requests.flatMap(\.bytes)
            var offset = 0
            for request in requests {
                let result = buffer.withUnsafeBytes {
                    RequestHeadParser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...]), limits: RequestHeadLimits())
                }
                guard case .complete(let head) = result,
                    request.mismatch(in: head, buffer: Array(buffer[offset...])) == nil
                else {
                    Issue.record("iteration \(iteration) at \(offset): \(result) for \(Self.describe(buffer))")
                    return
                }
                offset += head.headLength
            }
            if offset != buffer.count { Issue.record("iteration \(iteration): consumed \(offset) of \(buffer.count)") }
        }
    }

    // MARK: 2. Prefixes

    @Test func parse_whenAnyProperPrefixOfValidRequest_returnsIncomplete() {
        var generator = RequestGenerator(seed: 0x5EED_0002)
        for iteration in 0..<400 {
            let request = generator.next()
            // Exact limits: prefixes must still be .incomplete, never a limit error.
            let limits = RequestHeadLimits(
                maxRequestLineBytes: request.requestLineLength, maxHeaderBytes: request.headerSectionLength,
                maxHeaderCount: request.headerCount)
            request.bytes.withUnsafeBytes { buffer in
                for length in 0..<buffer.count {
                    let result = RequestHeadParser.parse(UnsafeRawBufferPointer(rebasing: buffer[..<length]), limits: limits)
                    if result != .incomplete {
                        Issue.record("iteration \(iteration), prefix \(length): \(result) for \(Self.describe(request.bytes))")
                        return
                    }
                }
                let full = RequestHeadParser.parse(buffer, limits: limits)
                guard case .complete(let head) = full, head.headLength == buffer.count else {
                    Issue.record("iteration \(iteration), full: \(full) for \(Self.describe(request.bytes))")
                    return
                }
            }
        }
    }

    @Test func parse_whenPrefixCrossesTheLimit_returnsTheLimitErrorFromThere() {
        var generator = RequestGenerator(seed: 0x5EED_0012)
        for iteration in 0..<300 {
            let request = generator.next()
            let lineLimit = request.requestLineLength - 1
            let limits = RequestHeadLimits(maxRequestLineBytes: lineLimit)
            for length in 1...request.bytes.count {
                let result = parseBytes(Array(request.bytes[..<length]), limits: limits)
                let expected: RequestHeadParseResult = length < lineLimit ? .incomplete : .invalid(.requestLineTooLong)
                if result != expected {
                    Issue.record("iteration \(iteration), prefix \(length): \(result) for \(Self.describe(request.bytes))")
                    return
                }
            }
            let headerLimit = request.headerSectionLength - 1
            let headerLimits = RequestHeadLimits(maxHeaderBytes: headerLimit)
            for length in request.requestLineLength...request.bytes.count {
                let result = parseBytes(Array(request.bytes[..<length]), limits: headerLimits)
                let expected: RequestHeadParseResult =
                    length - request.requestLineLength < headerLimit ? .incomplete : .invalid(.headersTooLarge)
                if result != expected {
                    Issue.record("iteration \(iteration), prefix \(length): \(result) for \(Self.describe(request.bytes))")
                    return
                }
            }
        }
    }

    // MARK: 3. Mutations

    @Test func parse_whenValidRequestMutated_neverCrashesAndAgreesWithReference() {
        var generator = RequestGenerator(seed: 0x5EED_0003)
        var rng = SplitMix64(seed: 0x5EED_1003)
        let interesting: [UInt8] = [0x0D, 0x0A, 0x00, 0x20, 0x09, 0x3A, 0x2C, 0x3F, 0x23, 0x2F, 0x7F, 0x80, 0xFF, 0x40]
        var completeCount = 0
        for iteration in 0..<10_000 {
            var bytes = generator.next().bytes
            for _ in 0..<rng.int(in: 1...3) {
                let index = rng.int(in: 0...(bytes.count - 1))
                switch rng.int(in: 0...5) {
                case 0: bytes[index] ^= UInt8(truncatingIfNeeded: 1 << rng.int(in: 0...7))
                case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: index)
                case 2: if bytes.count > 1 { bytes.remove(at: index) }
                case 3: bytes.insert(rng.pick(interesting), at: index)
                case 4: bytes[index] = rng.pick(interesting)
                default: bytes[index] = bytes[index] ^ 0x20  // case flip or SP/NUL swap
                }
            }
            let result = parseBytes(bytes)
            if case .complete = result { completeCount += 1 }
            if let violation = Self.violation(of: result, for: bytes) {
                Issue.record("iteration \(iteration): \(violation) for \(Self.describe(bytes))")
                return
            }
            // A decision never changes when more bytes arrive: an invalid or complete prefix stays so.
            let cut = rng.int(in: 0...bytes.count)
            let prefixResult = parseBytes(Array(bytes[..<cut]))
            if prefixResult != .incomplete && prefixResult != result {
                Issue.record("iteration \(iteration): prefix \(cut) gave \(prefixResult), whole \(result) for \(Self.describe(bytes))")
                return
            }
        }
        // Sanity: the mutations must leave some requests valid, or the oracle comparison proves little.
        #expect(completeCount > 500)
    }

    // MARK: 4. Garbage

    @Test func parse_whenRandomBytes_neverReturnsComplete() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        for iteration in 0..<10_000 {
            let bytes = (0..<rng.int(in: 0...300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let result = parseBytes(bytes)
            if case .complete = result {
                Issue.record("iteration \(iteration): complete for \(Self.describe(bytes))")
                return
            }
            if let violation = Self.violation(of: result, for: bytes) {
                Issue.record("iteration \(iteration): \(violation)")
                return
            }
        }
    }

    @Test func parse_whenRandomTokenSoup_completesExactlyWhenReferenceDoes() {
        var rng = SplitMix64(seed: 0x5EED_0014)
        let pieces = [
            "GET", "HEAD", "POST", " ", " ", "/", "/a", "?", "#", "http://", "h", "HTTP/1.1", "HTTP/1.0", "\r\n", "\r\n",
            "\r\n", "\r", "\n", ":", ": ", "Host", "host: h", "Content-Length", "0", "1", "Transfer-Encoding",
            "Connection", "close", "keep-alive", ",", "\t", "X-Forwarded-For", "\0", "\u{7F}", "@", "é",
        ].map(bytesOf)
        let starts = ["GET / HTTP/1.1\r\n", "GET / HTTP/1.0\r\n", "HEAD http://h HTTP/1.1\r\nHost: h\r\n", ""].map(bytesOf)
        var completeCount = 0
        for iteration in 0..<10_000 {
            var bytes = rng.pick(starts)
            for _ in 0..<rng.int(in: 0...16) { bytes += rng.pick(pieces) }
            if rng.chance(50) { bytes += bytesOf("\r\n\r\n") }
            let result = parseBytes(bytes)
            if case .complete = result { completeCount += 1 }
            if let violation = Self.violation(of: result, for: bytes) {
                Issue.record("iteration \(iteration): \(violation) for \(Self.describe(bytes))")
                return
            }
        }
        #expect(completeCount > 200)
    }
}
