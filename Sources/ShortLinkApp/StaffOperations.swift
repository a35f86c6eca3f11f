import AdminAPI
public import LibPQ
import ShortLinkCore
import Storage

/// `shortlinks users …` and `shortlinks tokens …`: bootstrap staff and their API tokens from
/// the command line. Output is returned as lines; a token's secret is the last word of the
/// last line of ``createToken(email:name:)``.
public struct StaffOperations: Sendable {
    let pool: PGPool

    /// Creates the operations.
    /// - Parameter pool: the (migrated) database.
    public init(pool: PGPool) { self.pool = pool }

    /// Creates a staff user.
    /// - Parameters:
    ///   - email: login e-mail (unique, case-insensitive).
    ///   - name: display name.
    public func createUser(email: String, name: String) async throws -> [String] {
        guard Self.looksLikeEmail(email) else {
            throw AppError(code: .invalidInput, message: "'\(email)' is not an e-mail address")
        }
        do {
            let user = try await UserRepository(pool: pool).create(email: email, name: name)
            return ["created user \(user.email) (\(user.name)), id \(user.id)"]
        } catch let error as ValidationError {
            throw AppError(code: .invalidInput, message: "--\(error.field) \(error.message)")
        } catch let error as StorageError where error.code == .emailTaken {
            throw AppError(code: .invalidInput, message: "a user with e-mail \(email) already exists")
        }
    }

    /// Creates an API token for a user and returns it once.
    /// - Parameters:
    ///   - email: the user's e-mail.
    ///   - name: a label for the token; default `cli`.
    ///   - expiresIn: a lifetime such as `30d`, `12h` or `3600`; default none.
    ///   - expiresAt: an RFC 3339 expiry instead; default none (never expires).
    ///   - readOnly: limit the token to GET and HEAD; default `false`.
    public func createToken(
        email: String, name: String = "cli", expiresIn: String? = nil, expiresAt: String? = nil, readOnly: Bool = false
    ) async throws -> [String] {
        let expiry: Timestamp?
        switch TokenLifetime.expiry(expiresIn: expiresIn, expiresAt: expiresAt, now: .now()) {
        case .success(let time): expiry = time
        case .failure(let error):
            let option = error.field == "expiresIn" ? "--expires-in" : "--expires-at"
            throw AppError(code: .invalidInput, message: "\(option) \(error.message)")
        }
        let user = try await self.user(email: email)
        let secret = APITokenSecret.generate()
        let token: APIToken
        do {
            token = try await TokenRepository(pool: pool).create(
                userID: user.id, name: name, digest: secret.digest, prefix: secret.prefix, expiresAt: expiry,
                scope: readOnly ? .readOnly : .readWrite)
        } catch let error as ValidationError {
            throw AppError(code: .invalidInput, message: "--\(error.field) \(error.message)")
        }
        return [
            "created API token '\(token.name)' for \(user.email), id \(token.id), prefix \(token.prefix)",
            "scope \(token.scope.rawValue), \(token.expiresAt.map { "expires \($0.iso8601)" } ?? "never expires")",
            "it is shown only now; use it as: Authorization: Bearer <token>",
            "token: \(secret.token)",
        ]
    }

    /// Lists a user's tokens (never their secrets).
    /// - Parameter email: the user's e-mail.
    public func listTokens(email: String) async throws -> [String] {
        let user = try await self.user(email: email)
        let tokens = try await TokenRepository(pool: pool).list(userID: user.id)
        let now = Timestamp.now()
        return ["tokens of \(user.email): \(tokens.count)"]
            + tokens.map { token in
                let state = token.revokedAt != nil ? "revoked" : (token.isUsable(at: now) ? "active" : "expired")
                return
                    "\(token.id)  \(token.prefix)…  \(state)  \(token.scope.rawValue)  '\(token.name)'  created \(token.createdAt.iso8601)  expires \(token.expiresAt?.iso8601 ?? "never")  last used \(token.lastUsedAt?.iso8601 ?? "never")"
            }
    }

    /// Revokes a token.
    /// - Parameter id: the token id (from `tokens list`).
    public func revokeToken(id: String) async throws -> [String] {
        guard let tokenID = EntityID(id) else { throw AppError(code: .invalidInput, message: "'\(id)' is not a token id (a UUID)") }
        guard let token = try await TokenRepository(pool: pool).revoke(tokenID) else {
            throw AppError(code: .invalidInput, message: "no token has id \(id)")
        }
        return ["revoked token \(token.id) '\(token.name)' (\(token.prefix)…)"]
    }

    func user(email: String) async throws -> User {
        guard let user = try await UserRepository(pool: pool).find(email: email) else {
            throw AppError(
                code: .invalidInput, message: "no user has e-mail \(email); create one with `shortlinks users create --email \(email) --name NAME`")
        }
        return user
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }
}
