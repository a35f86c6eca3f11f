import GeoIPLookup
import Logging
import ServiceLifecycle
import UnixSignals

/// Re-opens the GeoIP database when its file is replaced: checked every few seconds and
/// at once on SIGHUP. A replacement that cannot be read is logged and the old database
/// stays in use.
struct GeoIPReloader: Service {
    let lookup: GeoIPLookup
    let checkInterval: Double
    let logger: Logger

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for await _ in hangups { reload(forced: true) }
            }
            tasks.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int64(checkInterval * 1000)))
                    reload(forced: false)
                }
            }
            try? await gracefulShutdown()
            tasks.cancelAll()
        }
    }

    private func reload(forced: Bool) {
        do {
            if forced {
                try lookup.reload()
                logger.info("GeoIP database re-read (SIGHUP)", metadata: ["path": "\(lookup.path)"])
            } else if try lookup.reloadIfChanged() {
                logger.info("GeoIP database replaced; re-read", metadata: ["path": "\(lookup.path)"])
            }
        } catch {
            logger.error("GeoIP database could not be re-read; keeping the previous one", metadata: ["error": "\(error)"])
        }
    }
}
