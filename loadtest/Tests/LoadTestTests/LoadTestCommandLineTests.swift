import Foundation
import NIOCore
import NIOPosix
import ShortLinkTesting
import Testing

@testable import LoadTestKit

/// Bad input and unreachable targets: a clear message and a non-zero exit.
@Suite struct LoadTestCommandLineTests {
    @Test func badDuration_unknownFlag_andBadURL_exitWithUsageErrors() async throws {
        for arguments in [
            ["redirect", "--duration", "5x"], ["redirect", "--bogus"], ["redirect", "--base-url", "https://example.com"],
            ["mixed", "--head-ratio", "2"], ["redirect", "--duration", "1s", "--requests", "10"],
        ] {
            let result = try await LoadTestBinary.run(arguments, token: "")
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("Error:"), "\(arguments)")
        }
    }

    @Test func unreachableTarget_exitsWith3AndSaysSo() async throws {
        let codes = NSTemporaryDirectory() + "loadtest-codes-\(UUID().uuidString).txt"
        try "abc https://example.com/1\n".write(toFile: codes, atomically: true, encoding: .utf8)
        // Port 1 on loopback: nothing listens there.
        let result = try await LoadTestBinary.run(
            ["redirect", "--codes", codes, "--base-url", "http://127.0.0.1:1", "--duration", "1s"], token: "")
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot connect to http://127.0.0.1:1"), "\(result.stderr)")
        try? FileManager.default.removeItem(atPath: codes)
    }

    @Test func noToken_andNoCodeList_exitsWith3AndNamesTheVariable() async throws {
        let result = try await LoadTestBinary.run(["redirect", "--duration", "1s"], token: "")
        #expect(result.status == 3)
        #expect(result.stderr.contains("SHORTLINKS_ADMIN_TOKEN"))
    }

    /// A server that accepts connections and never answers: every request times out, and is
    /// counted as unanswered (its click may or may not exist).
    @Test func silentServer_requestsTimeOutAndCountAsUnanswered() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        var settings = DriveSettings(base: BaseURL("http://127.0.0.1:\(port)")!)
        settings.connections = 2
        settings.duration = 600_000_000
        settings.warmup = 0
        settings.timeout = 200_000_000
        let links = LinkSet(codes: ["a", "b"], targets: ["", ""], ids: [], clientID: nil)
        let source = RedirectScenario.source(
            links: links, encoder: RequestEncoder(base: settings.base), distribution: .uniform, exponent: 1)
        let outcome = try await LoadDriver.run(settings, source: source)
        #expect(outcome.tally.timeouts >= 2)
        #expect(outcome.tally.closedErrors == 0, "a timeout is counted once, as a timeout")
        #expect(outcome.tally.unanswered == outcome.tally.sent)
        #expect(outcome.tally.measured == 0)
        #expect(outcome.tally.redirectsHumans == 0)
        try await server.close()
        try await group.shutdownGracefully()
    }
}
