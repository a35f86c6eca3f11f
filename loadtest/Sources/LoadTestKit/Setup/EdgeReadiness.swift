import NIOCore
import NIOPosix

/// Waits until the edge serves the links a run has just created, instead of guessing how
/// long their change notifications take to reach its cache (milliseconds on a quiet
/// machine, seconds on a loaded one).
///
/// The probe is a plain human `GET` for the last code created: the edge applies link
/// changes in commit order, so once the last one redirects, every earlier one does. A
/// redirect is a click like any other, so the caller counts it in the run's expected clicks.
enum EdgeReadiness {
    /// The probes' user agent (the redirect scenario's human browser).
    static let userAgent = UserAgents.chrome

    /// Asks for `code` every `interval` until it redirects.
    /// - Parameters:
    ///   - code: the code created last.
    ///   - base: the edge.
    ///   - timeout: how long the edge may take.
    ///   - interval: time between probes.
    /// - Returns: how many probes were answered with a redirect (1), so that the run expects
    ///   that many clicks more.
    /// - Throws: ``LoadTestError`` `.setup` when the code does not redirect in time, naming
    ///   the last answer.
    static func waitUntilServed(
        code: String, base: BaseURL, timeout: Duration = .seconds(60), interval: Duration = .milliseconds(50)
    ) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while true {
            do {
                let response = try await OneShotHTTP.send(
                    "GET", "/\(code)", base: base, headers: [("User-Agent", userAgent)], body: [],
                    group: MultiThreadedEventLoopGroup.singleton)
                if (300...399).contains(response.status) { return 1 }
                last = "HTTP \(response.status)"
            } catch {
                last = "\(error)"
            }
            guard ContinuousClock.now < deadline else {
                throw LoadTestError(
                    .setup,
                    "the edge at \(base.description) did not serve the new link \(code) within \(timeout) (last answer: \(last)); does it read the database the admin API writes?"
                )
            }
            try await Task.sleep(for: interval)
        }
    }
}
