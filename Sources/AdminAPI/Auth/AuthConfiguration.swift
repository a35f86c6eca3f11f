/// Who may call the admin API.
public struct AuthConfiguration: Sendable {
    /// E-mail domains whose OIDC identities are let in (`macondo.example`); compared
    /// case-insensitively with the part after the `@`. Empty: no OIDC login is accepted
    /// (API tokens still work). Default empty.
    public var allowedDomains: [String]
    /// OIDC ID-token verification; `nil` turns OIDC off. Default off.
    public var oidc: OIDCConfiguration?

    /// Creates auth settings.
    public init(allowedDomains: [String] = [], oidc: OIDCConfiguration? = nil) {
        self.allowedDomains = allowedDomains.map { $0.lowercased() }
        self.oidc = oidc
    }

    /// Whether an e-mail's domain is allowed.
    /// - Parameter email: the address.
    public func allows(email: String) -> Bool {
        guard let at = email.lastIndex(of: "@") else { return false }
        let domain = email[email.index(after: at)...].lowercased()
        return allowedDomains.contains(domain)
    }
}
