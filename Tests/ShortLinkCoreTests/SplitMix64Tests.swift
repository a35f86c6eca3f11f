import ShortLinkCore
import Testing

@Suite struct SplitMix64Tests {
    @Test func sameSeed_givesSameSequence_differentSeed_doesNot() {
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var other = SplitMix64(seed: 43)
        let a = (0..<8).map { _ in first.next() }
        #expect(a == (0..<8).map { _ in second.next() })
        #expect(a != (0..<8).map { _ in other.next() })
        #expect(Set(a).count == 8)
    }

    @Test func seedZero_matchesReferenceOutput() {
        // First output of the reference SplitMix64 (Vigna) for seed 0.
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
    }
}
