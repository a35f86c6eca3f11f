import NIOCore
import Testing

@testable import LoadTestKit

/// The mixed deck: every request labelled as the service should classify it, in the
/// proportions asked for.
@Suite struct MixedScenarioTests {
    static let links = LinkSet(codes: (0..<50).map { "c\($0)" }, targets: [], ids: [], clientID: nil)

    @Test func deck_labelsHeadPrefetchAndBotAgentsAsBots_andEverythingElseAsHumans() throws {
        var mix = MixedScenario.Mix()
        mix.humanAgents = ["Human/1"]
        mix.botAgentList = ["Bot/1"]
        mix.deckSize = 4000
        let source = MixedScenario.source(
            links: Self.links, encoder: RequestEncoder(base: BaseURL("http://127.0.0.1:8080")!), mix: mix,
            distribution: .zipf, exponent: 1, seed: 7)
        var counts = (head: 0, prefetch: 0, misses: 0, botAgents: 0)
        for request in source.deck {
            let text = String(buffer: request.bytes)
            let isHead = text.hasPrefix("HEAD ")
            let isPrefetch = text.contains("\r\nSec-Purpose: prefetch\r\n")
            let botAgent = text.contains("\r\nUser-Agent: Bot/1\r\n")
            #expect(isHead == request.isHead)
            #expect(isPrefetch == request.isPrefetch)
            #expect(request.label == (isHead || isPrefetch || botAgent ? .bot : .human), "\(text)")
            let code = String(text.split(separator: " ")[1].dropFirst())
            #expect(request.isMiss == !Self.links.codes.contains(code))
            #expect(text.contains("\r\nX-Forwarded-For: "))
            #expect(text.hasSuffix("\r\n\r\n"))
            if isHead { counts.head += 1 }
            if isPrefetch { counts.prefetch += 1 }
            if request.isMiss { counts.misses += 1 }
            if botAgent { counts.botAgents += 1 }
        }
        // 4,000 draws: each share within a few standard deviations of what was asked.
        #expect((120...280).contains(counts.head))
        #expect((110...270).contains(counts.prefetch))
        #expect((300...500).contains(counts.misses))
        #expect((700...900).contains(counts.botAgents))
    }

    @Test func forwardedAddresses_arePublicUnicastIPv4() {
        var random = SplitMix64(seed: 3)
        for _ in 0..<2000 {
            let parts = MixedScenario.publicIPv4(&random).split(separator: ".").compactMap { Int($0) }
            #expect(parts.count == 4 && parts.allSatisfy { (0...255).contains($0) })
            #expect(![0, 10, 127, 169, 172, 192, 198, 203, 100].contains(parts[0]) && parts[0] < 224)
        }
    }
}
