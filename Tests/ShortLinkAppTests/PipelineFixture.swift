import ClickPipeline
import Foundation
import LibPQ
import NIOPosix
import RedirectServer
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage
import Synchronization

/// The real `serve` assembly (edge + click pipeline + GeoIP on the generated mmdb) in this
/// process, on port 0, over a real database.
final class RunningService: Sendable {
    let service: InProcessService
    let port: Int
    let spool: String
    var assembly: ServiceAssembly { service.assembly }

    init(
        url: String, pool: PGPool, spool: String = temporarySpool(), trustedProxies: [CIDR] = [],
        anonymizeIP: Bool = false, botIPLists: [String: [CIDR]] = [:], drainTimeoutSeconds: Double = 30,
        yielding: WriteYielding = .never, maxClicksPerWrite: Int = 10_000, catchUpClicksPerWrite: Int = 50_000
    ) async throws {
        let configuration = AppConfiguration(
            database: .init(url: url), embedded: .init(),
            edge: EdgeConfiguration(host: "127.0.0.1", port: 0, eventLoops: 2, trustedProxies: trustedProxies),
            clicks: ClickSettings(
                spoolDirectory: spool, journalSegmentBytes: 1 << 20, anonymizeIP: anonymizeIP,
                // Yielding is off unless a test asks for it: the suites beside it load the
                // CPUs, which would hold writes back for up to clicks.maxDeferSeconds.
                pipeline: ClickPipelineConfiguration(
                    maxClicksPerWrite: maxClicksPerWrite, catchUpClicksPerWrite: catchUpClicksPerWrite, yielding: yielding,
                    drainTimeoutSeconds: drainTimeoutSeconds,
                    backoff: BackoffSchedule(initial: .milliseconds(50), maximum: .seconds(1))),
                geoIPDatabase: TestGeoIP.cityDatabasePath, geoIPEnabled: true, botIPLists: botIPLists))
        self.spool = spool
        service = try await InProcessService(configuration: configuration, role: .edge, pool: pool, databaseURL: url)
        port = service.edgePort!
    }

    /// Graceful shutdown, as on SIGTERM; returns when every service has stopped.
    func shutdown() async throws {
        try await service.shutdown()
    }

    var clicks: ClickPipeline { assembly.clicks! }
}

/// Runs blocking work (raw socket requests, waiting for a child process) on a thread-pool
/// thread: blocking one of the few cooperative threads would starve the services under
/// test that run beside it (the link cache's NOTIFY worker among them).
func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

func temporarySpool() -> String {
    let path = NSTemporaryDirectory() + "spool-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func journalFiles(in spool: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: spool)) ?? []).filter { $0.hasSuffix(".journal") }
}

/// Inserts a link and returns its id.
@discardableResult
func insertLink(_ pool: PGPool, code: String, url: String = "https://example.com/target") async throws -> String {
    let (user, client) = try await makeOwner(pool)
    let rows = try await pool.query(
        "INSERT INTO links (short_code, original_url, user_id, client_id) VALUES ($1, $2, $3::uuid, $4::uuid) RETURNING id::text",
        [code, url, user, client])
    return try rows[0].decode(0, as: String.self)
}

/// Counts a link's click rows: all of them, and distinct ids.
func clickCounts(_ pool: PGPool, code: String) async throws -> (rows: Int, distinct: Int) {
    let rows = try await pool.query(
        "SELECT count(*)::bigint, count(DISTINCT c.id)::bigint FROM clicks c JOIN links l ON l.id = c.link_id WHERE l.short_code = $1",
        [code])
    return (try rows[0].decode(0, as: Int.self), try rows[0].decode(1, as: Int.self))
}

/// A link's clicks as every rollup counts them, after the rollup worker's work is done
/// (whatever is still pending is rolled up first): per hour, day and month, and in the
/// organisation's and its client's daily scope rows. Each should equal the raw rows.
func rolledUpClicks(_ pool: PGPool, code: String) async throws -> [String: Int] {
    _ = try await PostgresClickStore(pool: pool).rollUpAll()
    let rows = try await pool.query(
        """
        SELECT (SELECT coalesce(sum(clicks), 0)::bigint FROM link_rollups_hourly WHERE link_id = l.id),
               (SELECT coalesce(sum(clicks), 0)::bigint FROM link_rollups_daily WHERE link_id = l.id),
               (SELECT coalesce(sum(clicks), 0)::bigint FROM link_rollups_monthly WHERE link_id = l.id),
               (SELECT coalesce(sum(clicks), 0)::bigint FROM link_rollups_dimensions WHERE link_id = l.id AND dimension = 'g'),
               (SELECT coalesce(sum(clicks), 0)::bigint FROM scope_rollups_daily WHERE scope = 'c' AND scope_id = l.client_id)
        FROM links l WHERE l.short_code = $1
        """, [code])
    let names = ["hourly", "daily", "monthly", "places", "client daily"]
    var counts: [String: Int] = [:]
    for (index, name) in names.enumerated() { counts[name] = try rows[0].decode(index, as: Int.self) }
    return counts
}

/// Sends redirects from a background thread, one connection per request, until stopped,
/// and counts what the edge answered. Paced to about one request per millisecond: steady
/// traffic without starving the suites that run beside it (their timing checks need CPU).
final class Traffic: Sendable {
    private let state = Mutex((answered: 0, failed: 0, stop: false))
    /// Whether the sending thread has ended, and who waits for that.
    private let finished = Mutex((done: false, waiter: CheckedContinuation<Void, Never>?.none))

    init(port: Int, path: String, headers: [String] = []) {
        Thread.detachNewThread { [self] in
            while !state.withLock({ $0.stop }) {
                if let response = try? LoopbackHTTP.request(port: port, path: path, headers: headers),
                    response.status == 302
                {
                    state.withLock { $0.answered += 1 }
                    // Pacing (the rate above), not synchronisation.
                    Thread.sleep(forTimeInterval: 0.001)
                } else {
                    state.withLock { $0.failed += 1 }
                    Thread.sleep(forTimeInterval: 0.005)
                }
            }
            let waiter = finished.withLock { finished in
                finished.done = true
                defer { finished.waiter = nil }
                return finished.waiter
            }
            waiter?.resume()
        }
    }

    var answered: Int { state.withLock { $0.answered } }

    /// Stops and waits for the request in flight; returns the answered count.
    func stop() async -> Int {
        state.withLock { $0.stop = true }
        await withCheckedContinuation { continuation in
            let ended = finished.withLock { finished in
                if !finished.done { finished.waiter = continuation }
                return finished.done
            }
            if ended { continuation.resume() }
        }
        return answered
    }
}
