import Logging
import ShortLinkCore
import Synchronization

/// Keeps the ``LinkCache`` equal to the database.
///
/// One worker does all cache writes in order: a full load whenever the change feed
/// (re)starts listening and every `resyncInterval`, and a refresh of just the changed codes
/// for each notification (coalesced: codes that arrive while the worker is busy are
/// fetched together). Because the worker is serial, a change noticed during a full load is
/// re-applied after the new table is installed, never overwritten by it.
final class LinkCacheSync: Sendable {
    private struct Work {
        var fullLoad = false
        var codes: Set<String> = []
        var firstLoad: Result<Void, any Error>?
    }

    private let source: any LinkSource
    private let cache: LinkCache
    private let resyncInterval: Duration
    private let retryDelay: Duration
    private let overrideLimit: Int
    private let logger: Logger
    private let work = Mutex(Work())
    private let firstLoaded = Latch()
    /// Links already reported as not redirectable, so each is logged once.
    private let reportedUnredirectable = Mutex(Set<EntityID>())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - source: the links and their change feed.
    ///   - cache: the cache to keep fresh.
    ///   - resyncInterval: time between full loads.
    ///   - retryDelay: wait before retrying a failed load.
    ///   - overrideLimit: after this many single-code changes a full load compacts them.
    ///   - logger: where load failures are reported.
    init(
        source: any LinkSource, cache: LinkCache, resyncInterval: Duration, retryDelay: Duration = .seconds(1),
        overrideLimit: Int = 50_000, logger: Logger
    ) {
        self.source = source
        self.cache = cache
        self.resyncInterval = resyncInterval
        self.retryDelay = retryDelay
        self.overrideLimit = overrideLimit
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Runs the feed, the timer and the worker until cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.consumeFeed() }
            group.addTask { await self.tick() }
            group.addTask { await self.worker() }
        }
    }

    /// Returns once the first full load is installed.
    /// - Parameter timeout: how long to wait.
    /// - Throws: ``LinkCacheError`` when no load succeeded in time (with the last error, if any).
    func waitForFirstLoad(timeout: Duration) async throws {
        if await firstLoaded.wait(until: ContinuousClock.now + timeout) { return }
        try Task.checkCancellation()
        if case .failure(let error) = work.withLock({ $0.firstLoad }) {
            throw LinkCacheError.firstLoadFailed(String(describing: error))
        }
        throw LinkCacheError.firstLoadTimedOut
    }

    private func request(fullLoad: Bool = false, code: String? = nil) {
        work.withLock {
            if fullLoad { $0.fullLoad = true }
            if let code { $0.codes.insert(code) }
        }
        wake.yield()
    }

    private func consumeFeed() async {
        for await event in source.changes() {
            switch event {
            case .listening:
                request(fullLoad: true)
            case .changed(let code):
                request(code: code)
            }
        }
    }

    private func tick() async {
        while true {
            do { try await Task.sleep(for: resyncInterval) } catch { return }
            request(fullLoad: true)
        }
    }

    private func worker() async {
        for await _ in wakeups {
            let (fullLoad, codes) = work.withLock { work in
                defer {
                    work.fullLoad = false
                    work.codes = []
                }
                return (work.fullLoad, work.codes)
            }
            if fullLoad {
                do {
                    try await loadEverything()
                } catch {
                    logger.error("link cache: full load failed; retrying", metadata: ["error": "\(LogSafe.escape(error))"])
                    finishFirstLoad(.failure(error))
                    await retry(fullLoad: true, codes: [])
                }
            }
            if !codes.isEmpty {
                do {
                    try await refresh(Array(codes))
                } catch {
                    logger.warning(
                        "link cache: refresh failed; retrying", metadata: ["codes": "\(codes.count)", "error": "\(LogSafe.escape(error))"])
                    await retry(fullLoad: false, codes: codes)
                }
            }
            if cache.statistics.overriddenCodes > overrideLimit { request(fullLoad: true) }
        }
    }

    private func retry(fullLoad: Bool, codes: Set<String>) async {
        do { try await Task.sleep(for: retryDelay) } catch { return }
        work.withLock {
            if fullLoad { $0.fullLoad = true }
            $0.codes.formUnion(codes)
        }
        wake.yield()
    }

    private func loadEverything() async throws {
        let started = ContinuousClock.now
        var builder = LinkTableBuilder(expectedCount: cache.statistics.tableCount)
        try await source.loadAll { chunk in
            for target in chunk where self.redirectable(target) { builder.add(target) }
        }
        let table = builder.build()
        await cache.install(table)
        // The previous table's memory is free now; hand it back to the system instead of
        // letting the allocator keep it (a 1M-link table is a few hundred MB).
        MemoryRelease.returnFreedMemory()
        logger.info(
            "link cache: loaded",
            metadata: ["links": "\(table.count)", "took": "\(ContinuousClock.now - started)"])
        finishFirstLoad(.success(()))
    }

    private func refresh(_ codes: [String]) async throws {
        var found: [String: LinkTarget] = [:]
        for target in try await source.load(codes: codes) where redirectable(target) { found[target.code] = target }
        cache.apply(codes.map { (code: $0, target: found[$0]) })
    }

    /// Whether the target may be served; a link that may not is logged once (by id: its URL
    /// is whatever someone wrote into the database) and left out, so its code answers 404.
    private func redirectable(_ target: LinkTarget) -> Bool {
        if TargetScheme.isRedirectable(target.url) { return true }
        if reportedUnredirectable.withLock({ $0.insert(target.id).inserted }) {
            logger.warning(
                "link cache: link target is not an http(s) URL; its code answers 404",
                metadata: ["link.id": "\(target.id)", "scheme": "\(LogSafe.escape(target.url.prefix { $0 != ":" }, limit: 16))"])
        }
        return false
    }

    private func finishFirstLoad(_ result: Result<Void, any Error>) {
        work.withLock { work in
            if case .success = work.firstLoad { return }
            work.firstLoad = result
        }
        if case .success = result { firstLoaded.open() }
    }
}

/// The link cache could not be filled.
public enum LinkCacheError: Error, CustomStringConvertible {
    /// No full load succeeded in time; the last error is described.
    case firstLoadFailed(String)
    /// No full load finished in time.
    case firstLoadTimedOut

    public var description: String {
        switch self {
        case .firstLoadFailed(let reason): "the link cache could not be loaded: \(reason)"
        case .firstLoadTimedOut: "the link cache was not loaded in time (is the database reachable?)"
        }
    }
}
