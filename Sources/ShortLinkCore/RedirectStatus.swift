/// The HTTP status a link answers with. 302 unless the link asks for another.
public enum RedirectStatus: Int, Sendable, CaseIterable, Hashable {
    /// Moved Permanently: browsers and crawlers may cache it for good.
    case movedPermanently = 301
    /// Found: the default; clients come back every time, so every visit is a click.
    case found = 302
    /// Temporary Redirect: like 302 but the method is kept.
    case temporaryRedirect = 307
    /// Permanent Redirect: like 301 but the method is kept.
    case permanentRedirect = 308

    /// The default status for new links.
    public static let `default` = RedirectStatus.found

    /// The reason phrase sent on the status line.
    public var reasonPhrase: String {
        switch self {
        case .movedPermanently: "Moved Permanently"
        case .found: "Found"
        case .temporaryRedirect: "Temporary Redirect"
        case .permanentRedirect: "Permanent Redirect"
        }
    }
}
