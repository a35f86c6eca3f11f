import AdminAPI
import ClickPipeline
import Foundation
import NIOPosix
import RedirectServer

/// Builds what `/readyz` checks in this process from the configuration and the parts that
/// run here (the edge's link cache, the click pipeline and its journal).
enum ReadinessAssembly {
    /// - Parameters:
    ///   - configuration: the app configuration (`clicks.unhealthyAfterSeconds`,
    ///     `clicks.journalMinFreeBytes`, `clicks.spoolDir`, whether `DATABASE_URL` is set).
    ///   - migrationsCurrent: whether the migrations are current.
    ///   - edge: the in-process edge, if any.
    ///   - clicks: the in-process click pipeline, if any.
    static func checks(
        configuration: AppConfiguration, migrationsCurrent: @escaping @Sendable () async throws -> Bool,
        edge: EdgeServer?, clicks: ClickPipeline?
    ) -> ReadinessChecks {
        var cacheLoaded: (@Sendable () -> Bool)?
        if let edge { cacheLoaded = { edge.port != nil } }
        var clickWriter: (@Sendable () -> ReadinessOutcome)?
        var journalSpace: (@Sendable () async -> ReadinessOutcome)?
        if let clicks {
            let unhealthyAfter = Duration.milliseconds(Int64(configuration.clicks.unhealthyAfterSeconds * 1000))
            clickWriter = { ReadinessRules.clickWriter(failingFor: clicks.writeFailingFor, unhealthyAfter: unhealthyAfter) }
            if configuration.clicks.journal, configuration.clicks.journalMinFreeBytes > 0 {
                let directory = configuration.clicks.spoolDirectory
                let minimum = UInt64(configuration.clicks.journalMinFreeBytes)
                journalSpace = {
                    // statvfs may block on a slow file system: off the event loops and the
                    // cooperative pool, on a short-lived thread of its own (once per check,
                    // every few seconds) rather than the shared NIOThreadPool.singleton,
                    // where long blocking work of others (child processes, sockets) could
                    // hold /readyz back past a client's timeout.
                    let free = await withCheckedContinuation { (done: CheckedContinuation<UInt64?, Never>) in
                        Thread.detachNewThread { done.resume(returning: SpoolSpace.freeBytes(at: directory)) }
                    }
                    return ReadinessRules.journalSpace(freeBytes: free, minimumFreeBytes: minimum, directory: directory)
                }
            }
        }
        return ReadinessChecks(
            migrationsCurrent: migrationsCurrent, cacheLoaded: cacheLoaded, clickWriter: clickWriter,
            journalSpace: journalSpace,
            restartAdvice: configuration.database.url == nil
                ? ReadinessChecks.embeddedRestartAdvice : ReadinessChecks.externalRestartAdvice)
    }
}
