import ShortLinkCore
import Testing

@testable import Storage

/// The COPY encoder's own byte writers: an address or none, and the visitor hash's decimal.
/// (Ids and times: `TextFormAppendingTests` in ShortLinkCoreTests.)
@Suite struct ClickCopyEncoderTests {
    private func bytes(_ body: (inout [UInt8]) -> Void) -> String {
        var buffer: [UInt8] = []
        body(&buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func addresses_areTheirDescription_andNoneIsNull() {
        var random = SplitMix64(seed: 9)
        var addresses = [IPAddress("0.0.0.0")!, IPAddress("255.255.255.255")!, IPAddress("10.0.0.1")!, IPAddress("2001:db8::1")!, IPAddress("::")!]
        addresses += (0..<500).map { _ in IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next())) }
        for address in addresses { #expect(bytes { ClickCopyEncoder.appendAddress(address, to: &$0) } == address.description) }
        #expect(bytes { ClickCopyEncoder.appendAddress(nil, to: &$0) } == "\\N")
    }

    @Test func decimals_areTheirDescription() {
        var random = SplitMix64(seed: 10)
        let values: [Int64] = [0, 1, -1, 9, 10, -10, .max, .min] + (0..<5_000).map { _ in Int64(bitPattern: random.next()) >> (random.next() % 63) }
        for value in values { #expect(bytes { ClickCopyEncoder.appendDecimal(value, to: &$0) } == String(value)) }
    }
}
