import NIOCore
import ShortLinkCore
import Testing

@testable import RedirectServer

/// The per-loop counters the handler keeps, and their Prometheus text.
@Suite struct EdgeMetricsTests {
    @Test func responses_areCountedByStatusAndCacheResult() throws {
        let past = Timestamp(microsecondsSinceEpoch: 1_000_000)
        let harness = try EdgeHarness(links: [
            link("abc", "https://example.com/a"),
            link("per", "https://example.com/p", status: .movedPermanently),
            link("old", "https://example.com/o", expiresAt: past),
        ])
        var text = ""
        for _ in 0..<3 { text += httpRequest("/abc") }
        text += httpRequest("/per") + httpRequest("/old") + httpRequest("/nope") + httpRequest("/not.a.code")
        text += httpRequest("/healthz") + httpRequest("/abc", method: "POST")
        _ = try harness.send(text)
        let snapshot = harness.context.metrics.snapshot()
        #expect(snapshot.value(.redirect302) == 3)
        #expect(snapshot.value(.redirect301) == 1)
        #expect(snapshot.value(.expired) == 1)
        #expect(snapshot.value(.cacheMiss) == 1)
        #expect(snapshot.value(.notFound) == 1)
        #expect(snapshot.value(.ok) == 1)
        #expect(snapshot.value(.methodNotAllowed) == 1)
        #expect(snapshot.requestsByStatus[302] == 3)
        #expect(snapshot.requestsByStatus[404] == 2)
        #expect(snapshot.requestsByStatus[405] == 1)
        // One read cycle answered all nine; the histogram counts each request.
        #expect(snapshot.latencyBuckets.reduce(0, +) == 9)
        let prometheus = snapshot.prometheusText
        #expect(prometheus.contains("shortlinks_edge_requests_total{status=\"302\"} 3\n"))
        #expect(prometheus.contains("shortlinks_edge_cache_lookups_total{result=\"hit\"} 4\n"))
        #expect(prometheus.contains("shortlinks_edge_cache_lookups_total{result=\"miss\"} 1\n"))
        #expect(prometheus.contains("shortlinks_edge_cache_lookups_total{result=\"expired\"} 1\n"))
        #expect(prometheus.contains("shortlinks_edge_parse_errors_total{kind=\"405\"} 1\n"))
        #expect(prometheus.contains("shortlinks_edge_request_duration_seconds_count 9\n"))
        #expect(prometheus.contains("shortlinks_edge_request_duration_seconds_bucket{le=\"+Inf\"} 9\n"))
    }

    @Test func parseErrors_areCountedByKind() throws {
        for (request, counter) in [
            ("GET /abc HTTP/1.1\r\nHost x\r\n\r\n", EdgeCounter.badRequest),
            ("GET /\(String(repeating: "a", count: 9_000)) HTTP/1.1\r\n\r\n", .uriTooLong),
            ("GET /abc HTTP/1.1\r\nX: \(String(repeating: "b", count: 9_000))\r\n\r\n", .headersTooLarge),
        ] {
            let harness = try EdgeHarness(links: [])
            _ = try harness.send(request)
            #expect(harness.context.metrics.snapshot().value(counter) == 1)
            #expect(!harness.isOpen)
        }
    }

    @Test func latency_isBucketedInMicroseconds() {
        let metrics = LoopMetrics()
        metrics.observe(requests: 2, microseconds: 7)
        metrics.observe(requests: 1, microseconds: 30)
        metrics.observe(requests: 1, microseconds: 200_000)
        let text = metrics.snapshot().prometheusText
        #expect(text.contains("shortlinks_edge_request_duration_seconds_bucket{le=\"0.00001\"} 2\n"))
        #expect(text.contains("shortlinks_edge_request_duration_seconds_bucket{le=\"0.00005\"} 3\n"))
        #expect(text.contains("shortlinks_edge_request_duration_seconds_bucket{le=\"0.1\"} 3\n"))
        #expect(text.contains("shortlinks_edge_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"))
        #expect(text.contains("shortlinks_edge_request_duration_seconds_sum 0.200044\n"))
    }

    @Test func seconds_renderWithoutFloatingPointNoise() {
        #expect(EdgeMetricsSnapshot.seconds(25) == "0.000025")
        #expect(EdgeMetricsSnapshot.seconds(2_500_000) == "2.5")
        #expect(EdgeMetricsSnapshot.seconds(0) == "0")
    }
}
