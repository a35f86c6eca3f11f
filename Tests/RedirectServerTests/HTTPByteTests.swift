import ShortLinkCore
import ShortLinkTesting
import Testing

@testable import RedirectServer

/// The byte classes behind the parser, checked against their grammar definitions for all 256 bytes.
@Suite struct HTTPByteTests {
    @Test func isTokenByte_whenAnyByte_matchesRFC9110Tchar() {
        let tchar = Set(Alphabet.token)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByte.isTokenByte(byte) == tchar.contains(byte), "byte \(byte)")
        }
    }

    @Test func isHostByte_whenAnyByte_matchesHostAlphabet() {
        let host = Set(Alphabet.host)
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByte.isHostByte(byte) == host.contains(byte), "byte \(byte)")
        }
    }

    @Test func isTargetAndFieldValueByte_whenAnyByte_matchGrammar() {
        for byte in UInt8.min...UInt8.max {
            #expect(HTTPByte.isTargetByte(byte) == (0x21...0x7E).contains(byte), "byte \(byte)")
            #expect(HTTPByte.isFieldValueByte(byte) == (byte == 0x09 || (byte >= 0x20 && byte != 0x7F)), "byte \(byte)")
        }
    }

    @Test func controlBytes_whenRandomWords_findsFirstControlByte() {
        var rng = SplitMix64(seed: 0x5EED_00B7)
        let interesting: [UInt8] = [0x00, 0x09, 0x0D, 0x1F, 0x20, 0x21, 0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xFF]
        for _ in 0..<20_000 {
            let bytes = (0..<8).map { _ in rng.chance(30) ? rng.pick(interesting) : UInt8(truncatingIfNeeded: rng.next()) }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            let mask = HTTPByte.controlBytes(in: word)
            let firstControl = bytes.firstIndex { $0 < 0x20 || $0 == 0x7F }
            if let firstControl {
                if mask == 0 || mask.trailingZeroBitCount / 8 != firstControl {
                    Issue.record("bytes \(bytes): mask \(String(mask, radix: 16))")
                    return
                }
            } else if mask != 0 {
                Issue.record("bytes \(bytes): spurious mask \(String(mask, radix: 16))")
                return
            }
        }
    }
}
