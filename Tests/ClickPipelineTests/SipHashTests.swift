import ShortLinkCore
import Testing

@testable import ClickPipeline

@Suite struct SipHashTests {
    // Key 00 01 … 0f, as in the reference paper's test vectors.
    private let k0: UInt64 = 0x0706_0504_0302_0100
    private let k1: UInt64 = 0x0f0e_0d0c_0b0a_0908

    private func hash(length: Int) -> UInt64 {
        var hasher = SipHash24(k0: k0, k1: k1)
        hasher.combine((0..<length).map { UInt8($0) })
        return hasher.finalize()
    }

    @Test func emptyMessage_matchesReferenceVector() {
        #expect(hash(length: 0) == 0x726f_db47_dd0e_0e31)
    }

    @Test func fifteenByteMessage_matchesTheFirstPaperVector() {
        #expect(hash(length: 15) == 0xa129_ca61_49be_45e5)
    }

    @Test func feedingInPieces_equalsFeedingAtOnce() {
        var pieces = SipHash24(k0: k0, k1: k1)
        pieces.combine([0, 1, 2])
        pieces.combine([3, 4, 5, 6, 7, 8, 9])
        pieces.combine([10, 11, 12, 13, 14])
        #expect(pieces.finalize() == hash(length: 15))
    }

    /// Contiguous input goes in whole words, other sequences byte by byte; any split of a
    /// message into pieces of either kind gives the one-shot hash (lengths 0–64, so every
    /// tail and word boundary is crossed).
    @Test func anySplitIntoContiguousOrLazyPieces_equalsTheOneShotHash() {
        var random = SplitMix64(seed: 3)
        for length in 0...64 {
            let message = (0..<length).map { UInt8($0) }
            let oneShot = hash(length: length)
            for _ in 0..<20 {
                var hasher = SipHash24(k0: k0, k1: k1)
                var start = 0
                while start < length {
                    let end = min(length, start + random.int(in: 1...11))
                    if random.chance(50) {
                        hasher.combine(Array(message[start..<end]))
                    } else {
                        hasher.combine(message[start..<end].lazy.map { $0 })
                    }
                    start = end
                }
                #expect(hasher.finalize() == oneShot, "length \(length)")
            }
        }
    }

    /// The paper's 64 vectors' first and last words, through the contiguous path.
    @Test func sixtyThreeByteMessage_matchesThePaperVector() {
        #expect(hash(length: 63) == 0x958a_324c_eb06_4572)
    }
}
