import ClickPipeline
import ShortLinkCore
import Testing

@Suite struct VisitorHasherTests {
    private let saltA = [UInt8](0..<16)
    private let saltB = [UInt8](16..<32)
    private let address = IPAddress("203.0.113.7")!

    @Test func sameVisitorSameSalt_hashesEqual() {
        let hasher = VisitorHasher(salt: saltA)
        #expect(hasher.hash(address: address, userAgent: "UA") == hasher.hash(address: address, userAgent: "UA"))
    }

    @Test func anotherDaysSalt_givesAnotherHash() {
        #expect(
            VisitorHasher(salt: saltA).hash(address: address, userAgent: "UA")
                != VisitorHasher(salt: saltB).hash(address: address, userAgent: "UA"))
    }

    @Test func addressAndAgent_bothCount() {
        let hasher = VisitorHasher(salt: saltA)
        let base = hasher.hash(address: address, userAgent: "UA")
        #expect(hasher.hash(address: IPAddress("203.0.113.8")!, userAgent: "UA") != base)
        #expect(hasher.hash(address: address, userAgent: "UB") != base)
        #expect(hasher.hash(address: address, userAgent: nil) != hasher.hash(address: address, userAgent: ""))
        #expect(hasher.hash(address: nil, userAgent: "UA") != base)
    }

    @Test func day_isTheUTCDay() {
        #expect(VisitorHasher.day(of: Timestamp(microsecondsSinceEpoch: 0)) == 0)
        #expect(VisitorHasher.day(of: Timestamp(microsecondsSinceEpoch: 86_400_000_000 - 1)) == 0)
        #expect(VisitorHasher.day(of: Timestamp(microsecondsSinceEpoch: 86_400_000_000)) == 1)
        #expect(VisitorHasher.day(of: Timestamp(microsecondsSinceEpoch: -1)) == -1)
    }
}
