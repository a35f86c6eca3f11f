import Prometheus

/// The admin listener's own series, registered on the shared registry:
/// `shortlinks_admin_requests_total{method,route,status}` and
/// `shortlinks_admin_request_duration_seconds{method,route}` (route is the matched path
/// template, e.g. `/api/v1/links/{linkId}`, so the label set stays small).
struct AdminMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "shortlinks", subsystem: "admin", metricName: "requests", unitName: "total",
            helpText: "Admin API requests by method, route template and status.")
    }
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "shortlinks", subsystem: "admin", metricName: "request_duration", unitName: "seconds",
            helpText: "Admin API request latency by method and route template.")
    }
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]

    func record(method: String, route: String, status: Int, since start: ContinuousClock.Instant) {
        registry.makeCounter(descriptor: Self.requests, labels: [("method", method), ("route", route), ("status", String(status))])
            .increment()
        registry.makeDurationHistogram(descriptor: Self.duration, labels: [("method", method), ("route", route)], buckets: Self.buckets)
            .record(ContinuousClock.now - start)
    }
}
