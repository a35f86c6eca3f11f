/// The order of a link listing.
public enum LinkSort: String, Sendable, CaseIterable {
    /// Newest first (`created_at DESC, id DESC`), the default.
    case newestFirst = "-createdAt"
    /// Oldest first.
    case oldestFirst = "createdAt"
    /// By code, byte order (`A` before `a`).
    case shortCodeAscending = "shortCode"
    /// By code, reverse byte order.
    case shortCodeDescending = "-shortCode"
}
