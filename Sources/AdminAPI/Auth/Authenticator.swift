import Logging
import ShortLinkCore
import Storage

/// Turns an `Authorization` header into a ``StaffIdentity``: API tokens (`slk_…`) by their
/// digest, anything shaped like a JWT as an OIDC ID token.
struct Authenticator: Sendable {
    let tokens: TokenRepository
    let users: UserRepository
    let auth: AuthConfiguration
    let oidc: OIDCVerifier?
    let logger: Logger

    init(tokens: TokenRepository, users: UserRepository, auth: AuthConfiguration, logger: Logger) {
        self.tokens = tokens
        self.users = users
        self.auth = auth
        oidc = auth.oidc.map(OIDCVerifier.init(configuration:))
        self.logger = logger
    }

    /// - Parameter header: the `Authorization` value, if any.
    func authenticate(_ header: String?) async throws -> StaffIdentity {
        guard let header, !header.isEmpty else {
            throw APIError(.missingCredentials, "send Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(.invalidCredentials, "the Authorization header must be Bearer <token>")
        }
        let credential = parts[1].trimmingCharacters(in: " \t")
        if credential.hasPrefix(APITokenSecret.marker) { return try await apiToken(credential) }
        if credential.split(separator: ".", omittingEmptySubsequences: false).count == 3 {
            return try await idToken(credential)
        }
        throw APIError(.invalidCredentials, "the bearer token is neither an API token nor an ID token")
    }

    private func apiToken(_ credential: String) async throws -> StaffIdentity {
        guard let (token, user) = try await tokens.authenticate(digest: APITokenSecret.digest(of: credential)) else {
            throw APIError(.invalidCredentials, "unknown API token")
        }
        if token.revokedAt != nil { throw APIError(.invalidCredentials, "the API token was revoked") }
        if token.isExpired(at: .now()) {
            throw APIError(.tokenExpired, "the API token has expired; create a new one (POST /api/v1/tokens or shortlinks tokens create)")
        }
        return StaffIdentity(user: user, method: .apiToken(token.id), scope: token.scope)
    }

    private func idToken(_ credential: String) async throws -> StaffIdentity {
        guard let oidc else { throw APIError(.invalidCredentials, "ID tokens are not accepted (OIDC is not configured)") }
        let identity = try await oidc.verify(credential)
        guard auth.allows(email: identity.email) else {
            throw APIError(.domainNotAllowed, "the e-mail domain of this account is not allowed")
        }
        if let user = try await users.find(email: identity.email) {
            return StaffIdentity(user: user, method: .oidc)
        }
        let localPart = String(identity.email.prefix { $0 != "@" })
        let name = identity.name.flatMap { $0.trimmingCharacters(in: " \t\r\n").isEmpty ? nil : $0 } ?? localPart
        do {
            let user = try await users.create(email: identity.email, name: name, avatarURL: identity.picture)
            logger.info("created user on first OIDC login", metadata: ["user": "\(user.id)"])
            return StaffIdentity(user: user, method: .oidc)
        } catch {
            // Two first requests at once: the other one created the user.
            guard let user = try await users.find(email: identity.email) else { throw error }
            return StaffIdentity(user: user, method: .oidc)
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
