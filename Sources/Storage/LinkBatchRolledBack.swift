public import ShortLinkCore

/// An all-or-nothing batch was rolled back because at least one item failed.
public struct LinkBatchRolledBack: Error, Sendable {
    /// Each item's outcome, in input order; the successes were undone.
    public var results: [Result<Link, any Error>]
}
