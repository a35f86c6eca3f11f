public import ShortLinkCore

/// What became of one item of a batch: the link, or why it was refused.
public enum LinkOutcome: Sendable {
    /// Created.
    case created(Link)
    /// Refused.
    case failed(APIError)
    /// Valid, but not created because its all-or-nothing batch had a failure.
    case skipped
}
