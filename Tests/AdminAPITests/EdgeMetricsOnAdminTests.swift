import NIOPosix
import ShortLinkTesting
import Testing

/// `serve --role all`: the admin `/metrics` carries the edge's per-loop series.
@Suite(.teardown) struct EdgeMetricsOnAdminTests {
    @Test func adminMetrics_includeTheEdgeSeries_withExactCounts() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let service = try await CoherenceTests.RunningService(db: db)
        onTeardown { await service.stop() }
        let port = service.edgePort
        for path in ["/healthz", "/healthz", "/nope", "/robots.txt"] {
            _ = try await NIOThreadPool.singleton.runIfActive { try LoopbackHTTP.request(port: port, path: path) }
        }
        let metrics = try await service.admin("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("shortlinks_edge_requests_total{status=\"200\"} 3\n"))
        #expect(metrics.body.contains("shortlinks_edge_cache_lookups_total{result=\"miss\"} 1\n"))
        #expect(metrics.body.contains("shortlinks_edge_connections_accepted_total 4\n"))
        #expect(metrics.body.contains("# TYPE shortlinks_edge_request_duration_seconds histogram\n"))
        // The registry's own series are still there.
        #expect(metrics.body.contains("# TYPE shortlinks_clicks_written_total counter\n"))
    }
}
