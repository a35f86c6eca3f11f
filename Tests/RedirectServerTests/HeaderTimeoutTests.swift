import NIOCore
import NIOEmbedded
import Testing

@testable import RedirectServer

/// The request-head deadline on the handler, on the embedded loop's virtual clock.
@Suite struct HeaderTimeoutTests {
    static let configuration = EdgeConfiguration(idleTimeoutSeconds: 60, headerTimeoutSeconds: 10)

    @Test func silentConnection_isClosedAtTheHeaderTimeout_notTheIdleTimeout() throws {
        let harness = try EdgeHarness(links: [], configuration: Self.configuration)
        harness.loop.advanceTime(by: .milliseconds(9_900))
        #expect(harness.isOpen)
        harness.loop.advanceTime(by: .milliseconds(200))
        #expect(!harness.isOpen)
        #expect(harness.context.metrics.snapshot().value(.headerTimeout) == 1)
        #expect(harness.context.metrics.snapshot().value(.idleTimeout) == 0)
    }

    @Test func halfSentHead_isClosedAtTheHeaderTimeout() throws {
        let harness = try EdgeHarness(links: [], configuration: Self.configuration)
        #expect(try harness.send("GET /healthz HTTP/1.1\r\nHost: x\r\n") == "")
        harness.loop.advanceTime(by: .seconds(5))
        #expect(try harness.send("User-Agent: slow") == "")
        harness.loop.advanceTime(by: .milliseconds(5_100))
        #expect(!harness.isOpen)
    }

    @Test func completeRequest_cancelsTheDeadline_andTheIdleTimeoutApplies() throws {
        let harness = try EdgeHarness(links: [], configuration: Self.configuration)
        #expect(try harness.send(httpRequest("/healthz")).hasPrefix("HTTP/1.1 200 OK"))
        harness.loop.advanceTime(by: .seconds(30))
        #expect(harness.isOpen)
        harness.loop.advanceTime(by: .seconds(46))
        #expect(!harness.isOpen)
        #expect(harness.context.metrics.snapshot().value(.headerTimeout) == 0)
        #expect(harness.context.metrics.snapshot().value(.idleTimeout) == 1)
    }

    @Test func nextHead_startsItsDeadlineAtItsFirstByte() throws {
        let harness = try EdgeHarness(links: [], configuration: Self.configuration)
        #expect(try harness.send(httpRequest("/healthz")).hasPrefix("HTTP/1.1 200 OK"))
        // Idle for 30 s (below the idle timeout), then half a head: 10 s from now, not from the start.
        harness.loop.advanceTime(by: .seconds(30))
        #expect(try harness.send("GET /healthz HTTP/1.1\r\n") == "")
        harness.loop.advanceTime(by: .milliseconds(9_900))
        #expect(harness.isOpen)
        harness.loop.advanceTime(by: .milliseconds(200))
        #expect(!harness.isOpen)
        #expect(harness.context.metrics.snapshot().value(.headerTimeout) == 1)
    }

    @Test func pipelinedRequestWithAPartialTail_armsTheDeadlineForTheTail() throws {
        let harness = try EdgeHarness(links: [], configuration: Self.configuration)
        harness.loop.advanceTime(by: .seconds(8))
        #expect(try harness.send(httpRequest("/healthz") + "GET /he").hasPrefix("HTTP/1.1 200 OK"))
        // The first deadline (due at 10 s) was replaced by one for the tail (due at 18 s).
        harness.loop.advanceTime(by: .seconds(9))
        #expect(harness.isOpen)
        harness.loop.advanceTime(by: .seconds(2))
        #expect(!harness.isOpen)
    }
}
