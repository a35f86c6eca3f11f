import Foundation

extension RunReport {
    /// The human-readable summary printed after a run.
    public var table: String {
        var lines: [String] = []
        func row(_ name: String, _ value: String) { lines.append(name.padding(toLength: 22, withPad: " ", startingAt: 0) + value) }
        func num(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        row("scenario", "\(scenario)  run \(runId)  target \(target)")
        row("mode", mode == "open" ? "open loop at \(num(rate ?? 0, 0)) req/s" : "closed loop")
        row("connections/threads", "\(connections) / \(threads)")
        row("links", "\(links)" + (distribution.map { "  (\($0))" } ?? ""))
        row("warm-up / measured", "\(num(warmupSeconds, 2)) s / \(num(durationSeconds, 2)) s")
        row("requests", "\(requests)  (\(num(requestsPerSecond)) req/s)")
        let statuses = statusCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "  ")
        row("status", statuses.isEmpty ? "-" : statuses)
        row(
            "errors",
            "\(errors.total)  (connect \(errors.connect), timeout \(errors.timeout), closed \(errors.closed), protocol \(errors.protocol), unsent \(errors.unsent))"
        )
        lines.append("")
        lines.append("latency (ms)          p50      p90      p99      p99.9    max      mean")
        for (name, p) in [("from intended send", latencyMs), ("service time", serviceTimeMs)] {
            let cells = [p.p50, p.p90, p.p99, p.p999, p.max, p.mean].map { num($0, 3).padding(toLength: 9, withPad: " ", startingAt: 0) }
            lines.append(name.padding(toLength: 22, withPad: " ", startingAt: 0) + cells.joined())
        }
        lines.append("")
        row(
            "sent (all phases)",
            "\(sent.total)  (warm-up answers \(sent.warmupAnswered), HEAD \(sent.head), prefetch \(sent.prefetch), misses \(sent.misses), bots \(sent.bots))"
        )
        row(
            "redirects answered",
            "\(redirects.total)  (bots \(redirects.bots), humans \(redirects.humans)\(redirects.probes.map { ", setup probes \($0)" } ?? "")); unanswered \(unanswered)"
        )
        if let coherence {
            row(
                "coherence",
                "\(coherence.violations) violations in \(coherence.checked) answers (window \(num(coherence.windowMs, 0)) ms); links created \(coherence.linksCreated), updated \(coherence.linksUpdated), admin failures \(coherence.adminFailures)"
            )
            for sample in coherence.samples.prefix(5) { lines.append("  ! " + sample) }
        }
        if let verify {
            lines.append("")
            lines.append(verify.table)
        }
        return lines.joined(separator: "\n")
    }
}

extension VerifyResult {
    /// The verification figures, one line each.
    public var table: String {
        var lines = [
            "verify                \(passed ? "PASSED" : "FAILED") after \(String(format: "%.1f", waitedSeconds)) s",
            "  clicks expected     \(expected)  (bots \(expectedBots), humans \(expectedHumans))",
            "  clicks stored       \(stored)  (distinct \(distinct), bots \(storedBots), humans \(storedHumans))",
            "  lost \(lost)  duplicates \(duplicates)  extra \(extra)  unanswered \(unanswered)",
        ]
        if !reasons.isEmpty {
            lines.append(
                "  reasons             " + reasons.sorted { $0.value > $1.value }.prefix(12).map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for problem in problems { lines.append("  ! " + problem) }
        if !misclassified.isEmpty {
            let total = misclassified.reduce(0) { $0 + $1.clicks }
            lines.append("  the service classified these user agents otherwise than they were sent (\(total) clicks; not a loss):")
            for entry in misclassified {
                lines.append("    \(entry.clicks)× sent as \(entry.sentAs), stored as \(entry.storedAs): \(entry.userAgent.prefix(110))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
