/// Which listeners one `shortlinks serve` process runs.
public enum ServeRole: String, Sendable, CaseIterable {
    /// Only the public redirect edge (and, with the click pipeline, its writer).
    case edge
    /// Only the staff API.
    case admin
    /// Everything in one process (the default).
    case all
}
