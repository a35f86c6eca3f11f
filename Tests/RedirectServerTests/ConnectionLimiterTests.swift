import Logging
import NIOCore
import NIOEmbedded
import ShortLinkCore
import Synchronization
import Testing

@testable import RedirectServer

/// The per-client cap on the accepting channel: keys, trusted proxies, release on close.
@Suite struct ConnectionLimiterTests {
    final class Harness {
        let loop = EmbeddedEventLoop()
        let server: EmbeddedChannel
        let counters = ConnectionCounters()

        init(perClient: Int, trusted: [CIDR] = []) throws {
            server = EmbeddedChannel(loop: loop)
            try server.pipeline.syncOperations.addHandler(
                ConnectionLimiter(
                    limit: 100, perClientLimit: perClient, trustedProxies: trusted, counters: counters,
                    logger: Logger(label: "test")))
        }

        /// Accepts a connection from `peer`; whether it was kept open.
        @discardableResult
        func accept(from peer: String) throws -> EmbeddedChannel {
            let child = EmbeddedChannel(loop: loop)
            try child.connect(to: SocketAddress(ipAddress: peer, port: 40_000)).wait()
            server.pipeline.fireChannelRead(NIOAny(child as any Channel))
            loop.run()
            return child
        }
    }

    @Test func fifthConnectionFromOneIPv4Address_isClosed_otherAddressesAreNot() throws {
        let harness = try Harness(perClient: 4)
        let kept = try (0..<4).map { _ in try harness.accept(from: "192.0.2.1") }
        #expect(kept.allSatisfy { $0.isActive })
        #expect(try !harness.accept(from: "192.0.2.1").isActive)
        #expect(try harness.accept(from: "192.0.2.2").isActive)
        #expect(harness.counters.refusedPerClientCap.load(ordering: .relaxed) == 1)
        // A close gives the slot back.
        _ = try kept[0].close().wait()
        harness.loop.run()
        #expect(try harness.accept(from: "192.0.2.1").isActive)
    }

    @Test func ipv6_isCountedPer64() throws {
        let harness = try Harness(perClient: 2)
        #expect(try harness.accept(from: "2001:db8::1").isActive)
        #expect(try harness.accept(from: "2001:db8::ffff:2").isActive)
        #expect(try !harness.accept(from: "2001:db8::3").isActive)
        #expect(try harness.accept(from: "2001:db8:0:1::1").isActive)
    }

    @Test func trustedProxies_areNotCountedPerClient() throws {
        let harness = try Harness(perClient: 1, trusted: [CIDR("10.0.0.0/8")!])
        for _ in 0..<5 { #expect(try harness.accept(from: "10.1.2.3").isActive) }
        #expect(try harness.accept(from: "192.0.2.9").isActive)
        #expect(try !harness.accept(from: "192.0.2.9").isActive)
    }
}
