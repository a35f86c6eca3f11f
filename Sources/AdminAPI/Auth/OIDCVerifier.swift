import Foundation
import JWTKit

/// Verifies an OIDC ID token: an RS256 signature by a key of the configured JWKS, an accepted
/// `iss` and `aud`, `exp` in the future and `nbf` in the past (with leeway), and a verified
/// e-mail. The e-mail's domain is checked by the caller (a wrong domain is 403, not 401).
struct OIDCVerifier: Sendable {
    /// What a verified token says about the person.
    struct Identity: Sendable {
        var email: String
        var name: String?
        var picture: String?
    }

    let configuration: OIDCConfiguration
    let store: JWKSStore

    init(configuration: OIDCConfiguration) {
        self.configuration = configuration
        store = JWKSStore(source: configuration.keys, refreshSeconds: configuration.refreshSeconds)
    }

    /// - Parameters:
    ///   - token: the compact JWT.
    ///   - now: seconds since the epoch.
    func verify(_ token: String, now: Double = Date().timeIntervalSince1970) async throws -> Identity {
        func invalid(_ reason: String) -> APIError { APIError(.invalidCredentials, "ID token rejected: \(reason)") }
        guard Self.algorithm(of: token) == "RS256" else { throw invalid("only RS256-signed tokens are accepted") }
        let claims: OIDCClaims
        do {
            claims = try await verifySignature(token, force: false)
        } catch let error as JWTError where error.errorType == .unknownKID || error.errorType == .signatureVerificationFailed {
            // Maybe the provider rotated its keys: reload (rate-limited) and try once more.
            do {
                claims = try await verifySignature(token, force: true)
            } catch {
                throw invalid("bad signature or unknown key")
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw invalid("not a valid signed JWT")
        }
        let leeway = configuration.leewaySeconds
        guard let issuer = claims.iss, configuration.issuers.contains(issuer) else { throw invalid("wrong issuer") }
        guard let audience = claims.aud?.value, audience.contains(where: configuration.audiences.contains) else {
            throw invalid("wrong audience")
        }
        guard let expiry = claims.exp else { throw invalid("no expiry") }
        guard now < expiry + leeway else { throw invalid("expired") }
        if let notBefore = claims.nbf, now + leeway < notBefore { throw invalid("not valid yet") }
        guard let email = claims.email, email.contains("@") else { throw invalid("no e-mail") }
        guard claims.emailVerified?.value == true else { throw invalid("e-mail not verified") }
        return Identity(email: email, name: claims.name, picture: claims.picture)
    }

    private func verifySignature(_ token: String, force: Bool) async throws -> OIDCClaims {
        let keys: JWTKeyCollection
        do {
            keys = try await store.collection(force: force)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.unavailable, "the OIDC signing keys could not be loaded")
        }
        return try await keys.verify(token, as: OIDCClaims.self)
    }

    /// The `alg` of a compact JWT's header, or `nil`.
    static func algorithm(of token: String) -> String? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = base64URLDecode(parts[0]),
            case .object = JSONValue.parse(header) ?? .null
        else { return nil }
        return JSONValue.parse(header)?["alg"]?.stringValue
    }

    static func base64URLDecode(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64).map(Array.init)
    }
}
