/// The pure decisions behind the click-writer and journal-space checks, apart from the
/// clock and the file system so that they are tested with plain values.
public enum ReadinessRules {
    /// The click writer is unhealthy once its writes have failed, without a success in
    /// between, for longer than `unhealthyAfter`: a short blip (a failover, a lock) is
    /// retried and must not take the instance out of rotation.
    /// - Parameters:
    ///   - failingFor: how long writes have been failing; `nil` while they succeed.
    ///   - unhealthyAfter: `clicks.unhealthyAfterSeconds` (default 30 s).
    public static func clickWriter(failingFor: Duration?, unhealthyAfter: Duration) -> ReadinessOutcome {
        guard let failingFor, failingFor > unhealthyAfter else { return .ok() }
        let seconds = Int(failingFor.components.seconds)
        return .failing(
            "failing",
            "click writes have been failing for \(seconds) s (more than \(Int(unhealthyAfter.components.seconds)) s); "
                + "clicks wait in the journal and are written once the database accepts them")
    }

    /// The journal must have room: below `minimumFreeBytes` free on the spool directory's
    /// file system, clicks captured during an outage could not be kept on disk.
    /// - Parameters:
    ///   - freeBytes: bytes available to the service there; `nil` when they could not be read.
    ///   - minimumFreeBytes: `clicks.journalMinFreeBytes`.
    ///   - directory: the spool directory, named in the reason.
    public static func journalSpace(freeBytes: UInt64?, minimumFreeBytes: UInt64, directory: String) -> ReadinessOutcome {
        guard let freeBytes else {
            return .failing("unknown", "the free space of the click spool directory \(directory) cannot be read")
        }
        guard freeBytes < minimumFreeBytes else { return .ok() }
        return .failing(
            "low",
            "the click spool directory \(directory) has \(size(freeBytes)) free, less than the "
                + "\(size(minimumFreeBytes)) the journal needs (clicks.journalMinFreeBytes); free disk space there")
    }

    private static func size(_ bytes: UInt64) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
