/// What `/readyz` asks besides "does the database answer and take a write": supplied by
/// the composition root, which knows the migrations folder, whether an edge and a click
/// pipeline run in this process, and whether the database is the embedded cluster.
public struct ReadinessChecks: Sendable {
    /// Whether every migration this build knows is applied (and none is modified or unknown).
    public var migrationsCurrent: @Sendable () async throws -> Bool
    /// Whether the in-process edge has loaded its link cache; `nil` when no edge runs here.
    public var cacheLoaded: (@Sendable () -> Bool)?
    /// The click writer's health (see ``ReadinessRules/clickWriter(failingFor:unhealthyAfter:)``);
    /// `nil` when no click pipeline runs here.
    public var clickWriter: (@Sendable () -> ReadinessOutcome)?
    /// Free space for the click journal (see ``ReadinessRules/journalSpace(freeBytes:minimumFreeBytes:directory:)``);
    /// `nil` when no journal is kept here. Called off the event loops; it may block briefly.
    public var journalSpace: (@Sendable () async -> ReadinessOutcome)?
    /// Whether the database is probed with a rolled-back write on a new session
    /// (``Storage/DatabaseHealth/probeWritePath()``); default `true`.
    public var probeWrites: Bool
    /// How to restart the Postgres server, for the message about a server whose binaries
    /// were replaced under it; default: the embedded cluster's commands.
    public var restartAdvice: String
    /// How often the checks run in the background, and how old a result `/readyz` may
    /// answer with; default 5 s. A flood of `/readyz` requests runs them at most this often.
    public var interval: Duration

    /// The advice for the embedded cluster.
    public static let embeddedRestartAdvice =
        "run `shortlinks db stop && shortlinks db start` (then restart `shortlinks serve` if it does not recover)"
    /// The advice for a server given by `DATABASE_URL`.
    public static let externalRestartAdvice = "restart the Postgres server that DATABASE_URL names"

    /// Creates the checks.
    /// - Parameters:
    ///   - migrationsCurrent: default: always current.
    ///   - cacheLoaded: default: no edge in this process.
    ///   - clickWriter: default: no click pipeline in this process.
    ///   - journalSpace: default: no journal in this process.
    ///   - probeWrites: default `true`.
    ///   - restartAdvice: default ``embeddedRestartAdvice``.
    ///   - interval: default 5 s.
    public init(
        migrationsCurrent: @escaping @Sendable () async throws -> Bool = { true },
        cacheLoaded: (@Sendable () -> Bool)? = nil,
        clickWriter: (@Sendable () -> ReadinessOutcome)? = nil,
        journalSpace: (@Sendable () async -> ReadinessOutcome)? = nil,
        probeWrites: Bool = true,
        restartAdvice: String = ReadinessChecks.embeddedRestartAdvice,
        interval: Duration = .seconds(5)
    ) {
        self.migrationsCurrent = migrationsCurrent
        self.cacheLoaded = cacheLoaded
        self.clickWriter = clickWriter
        self.journalSpace = journalSpace
        self.probeWrites = probeWrites
        self.restartAdvice = restartAdvice
        self.interval = interval
    }
}
