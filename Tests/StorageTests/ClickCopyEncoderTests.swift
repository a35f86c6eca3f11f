import ShortLinkCore
import Testing

@testable import Storage

/// The COPY encoder writes ids, times, addresses and numbers byte by byte; the text must be
/// exactly what their descriptions say (what Postgres got before, and what it parses back).
@Suite struct ClickCopyEncoderTests {
    private func bytes(_ body: (inout [UInt8]) -> Void) -> String {
        var buffer: [UInt8] = []
        body(&buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func uuids_areTheirDescription() {
        var random = SplitMix64(seed: 7)
        let ids = [EntityID(high: 0, low: 0), EntityID(high: ~0, low: ~0)] + (0..<2_000).map { _ in EntityID.random(using: &random) }
        for id in ids { #expect(bytes { ClickCopyEncoder.appendUUID(id, to: &$0) } == id.description) }
    }

    @Test func timestamps_areTheirISO8601_includingEdgesAndOutOfRangeYears() {
        var random = SplitMix64(seed: 8)
        let edges: [Int64] = [
            0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 253_402_300_799_999_999, 253_402_300_800_000_000, -62_167_219_200_000_001,
        ]
        let samples = edges + (0..<5_000).map { _ in Int64(bitPattern: random.next()) % 300_000_000_000_000_000 }
        for micros in samples {
            let time = Timestamp(microsecondsSinceEpoch: micros)
            #expect(bytes { ClickCopyEncoder.appendTimestamp(time, to: &$0) } == time.iso8601, "\(micros)")
        }
    }

    @Test func addresses_areTheirDescription_andNoneIsNull() {
        var random = SplitMix64(seed: 9)
        var addresses = [IPAddress("0.0.0.0")!, IPAddress("255.255.255.255")!, IPAddress("10.0.0.1")!, IPAddress("2001:db8::1")!, IPAddress("::")!]
        addresses += (0..<2_000).map { _ in IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next())) }
        addresses += (0..<500).map { _ in IPAddress(high: random.next(), low: random.next()) }
        for address in addresses { #expect(bytes { ClickCopyEncoder.appendAddress(address, to: &$0) } == address.description) }
        #expect(bytes { ClickCopyEncoder.appendAddress(nil, to: &$0) } == "\\N")
    }

    @Test func decimals_areTheirDescription() {
        var random = SplitMix64(seed: 10)
        let values: [Int64] = [0, 1, -1, 9, 10, -10, .max, .min] + (0..<5_000).map { _ in Int64(bitPattern: random.next()) >> (random.next() % 63) }
        for value in values { #expect(bytes { ClickCopyEncoder.appendDecimal(value, to: &$0) } == String(value)) }
    }
}
