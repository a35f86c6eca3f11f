/// How OIDC ID tokens (e.g. Google Sign-In's) are verified: RS256 against a JWKS, with the
/// issuer and audience this deployment expects.
public struct OIDCConfiguration: Sendable, Equatable {
    /// Where the signing keys come from.
    public enum KeySource: Sendable, Equatable {
        /// A JWKS JSON file on disk (re-read when it changes).
        case file(String)
        /// A JWKS URL (e.g. `https://www.googleapis.com/oauth2/v3/certs`), fetched at first use
        /// and again every `refreshSeconds`, or sooner when a token names an unknown key.
        case url(String)
    }

    /// Accepted `iss` values (Google uses `https://accounts.google.com` and `accounts.google.com`).
    public var issuers: [String]
    /// Accepted `aud` values: the OAuth client id(s) of the staff front end.
    public var audiences: [String]
    /// The JWKS.
    public var keys: KeySource
    /// How long fetched keys are kept; default 3600 s.
    public var refreshSeconds: Double
    /// Clock skew tolerated on `exp`/`nbf`/`iat`; default 60 s.
    public var leewaySeconds: Double

    /// Creates OIDC settings.
    public init(issuers: [String], audiences: [String], keys: KeySource, refreshSeconds: Double = 3600, leewaySeconds: Double = 60) {
        self.issuers = issuers
        self.audiences = audiences
        self.keys = keys
        self.refreshSeconds = refreshSeconds
        self.leewaySeconds = leewaySeconds
    }
}
