/// What `/readyz` asks besides "does the database answer": supplied by the composition root,
/// which knows the migrations folder and whether an edge runs in this process.
public struct ReadinessChecks: Sendable {
    /// Whether every migration this build knows is applied (and none is modified or unknown).
    public var migrationsCurrent: @Sendable () async throws -> Bool
    /// Whether the in-process edge has loaded its link cache; `nil` when no edge runs here.
    public var cacheLoaded: (@Sendable () -> Bool)?

    /// Creates the checks.
    /// - Parameters:
    ///   - migrationsCurrent: default: always current.
    ///   - cacheLoaded: default: no edge in this process.
    public init(
        migrationsCurrent: @escaping @Sendable () async throws -> Bool = { true },
        cacheLoaded: (@Sendable () -> Bool)? = nil
    ) {
        self.migrationsCurrent = migrationsCurrent
        self.cacheLoaded = cacheLoaded
    }
}
