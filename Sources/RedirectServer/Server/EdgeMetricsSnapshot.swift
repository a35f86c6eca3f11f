/// The edge's counters summed over its loops at one scrape, and their Prometheus text.
public struct EdgeMetricsSnapshot: Sendable, Equatable {
    var counters = [Int](repeating: 0, count: EdgeCounter.allCases.count)
    var latencyBuckets = [Int](repeating: 0, count: LoopMetrics.latencyBoundsMicroseconds.count + 1)
    var latencySumMicroseconds: Int64 = 0
    var connections = ConnectionCounters.Values()

    /// Adds another loop's values.
    mutating func add(_ other: EdgeMetricsSnapshot) {
        for index in counters.indices { counters[index] &+= other.counters[index] }
        for index in latencyBuckets.indices { latencyBuckets[index] &+= other.latencyBuckets[index] }
        latencySumMicroseconds &+= other.latencySumMicroseconds
    }

    func value(_ counter: EdgeCounter) -> Int { counters[counter.rawValue] }

    /// Responses by status code (every status the edge sends, zeros included).
    public var requestsByStatus: [Int: Int] {
        var result: [Int: Int] = [:]
        for counter in EdgeCounter.allCases {
            if let status = counter.status { result[status, default: 0] += value(counter) }
        }
        return result
    }

    /// The Prometheus text exposition (format 0.0.4) of every `shortlinks_edge_` series.
    public var prometheusText: String {
        var text = ""
        func family(_ name: String, _ type: String, _ help: String) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        family("shortlinks_edge_requests_total", "counter", "Edge responses by status code.")
        for (status, count) in requestsByStatus.sorted(by: { $0.key < $1.key }) {
            text += "shortlinks_edge_requests_total{status=\"\(status)\"} \(count)\n"
        }
        family("shortlinks_edge_cache_lookups_total", "counter", "Link cache lookups of well-formed codes by result.")
        let hits = value(.redirect301) + value(.redirect302) + value(.redirect307) + value(.redirect308)
        text += "shortlinks_edge_cache_lookups_total{result=\"hit\"} \(hits)\n"
        text += "shortlinks_edge_cache_lookups_total{result=\"miss\"} \(value(.cacheMiss))\n"
        text += "shortlinks_edge_cache_lookups_total{result=\"expired\"} \(value(.expired))\n"
        family("shortlinks_edge_parse_errors_total", "counter", "Requests refused before routing, by status.")
        for (kind, counter) in [("400", EdgeCounter.badRequest), ("405", .methodNotAllowed), ("414", .uriTooLong), ("431", .headersTooLarge)] {
            text += "shortlinks_edge_parse_errors_total{kind=\"\(kind)\"} \(value(counter))\n"
        }
        family("shortlinks_edge_connections_open", "gauge", "Edge connections open now.")
        text += "shortlinks_edge_connections_open \(connections.open)\n"
        family("shortlinks_edge_connections_accepted_total", "counter", "Edge connections accepted and kept.")
        text += "shortlinks_edge_connections_accepted_total \(connections.accepted)\n"
        family("shortlinks_edge_connections_refused_total", "counter", "Edge connections refused, by reason.")
        text += "shortlinks_edge_connections_refused_total{reason=\"global_cap\"} \(connections.refusedGlobalCap)\n"
        text += "shortlinks_edge_connections_refused_total{reason=\"per_client_cap\"} \(connections.refusedPerClientCap)\n"
        text += "shortlinks_edge_connections_refused_total{reason=\"fd_exhaustion\"} \(connections.refusedNoDescriptors)\n"
        family("shortlinks_edge_connections_timed_out_total", "counter", "Edge connections closed by a timeout, by kind.")
        text += "shortlinks_edge_connections_timed_out_total{kind=\"header\"} \(value(.headerTimeout))\n"
        text += "shortlinks_edge_connections_timed_out_total{kind=\"idle\"} \(value(.idleTimeout))\n"
        family(
            "shortlinks_edge_request_duration_seconds", "histogram",
            "Server time from the start of parsing a read's request heads to its responses flushed.")
        var cumulative = 0
        for (index, bound) in LoopMetrics.latencyBoundsMicroseconds.enumerated() {
            cumulative += latencyBuckets[index]
            text += "shortlinks_edge_request_duration_seconds_bucket{le=\"\(Self.seconds(bound))\"} \(cumulative)\n"
        }
        cumulative += latencyBuckets[LoopMetrics.latencyBoundsMicroseconds.count]
        text += "shortlinks_edge_request_duration_seconds_bucket{le=\"+Inf\"} \(cumulative)\n"
        text += "shortlinks_edge_request_duration_seconds_sum \(Self.seconds(latencySumMicroseconds))\n"
        text += "shortlinks_edge_request_duration_seconds_count \(cumulative)\n"
        return text
    }

    /// Microseconds as decimal seconds without floating-point noise (`25` → `0.000025`).
    static func seconds(_ microseconds: Int64) -> String {
        let whole = microseconds / 1_000_000
        var fraction = String(microseconds % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }
}
