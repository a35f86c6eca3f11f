import Foundation
import JWTKit
import _CryptoExtras

@testable import AdminAPI

/// A tiny OIDC provider for tests: its own RSA key pair, a JWKS file with the public key, and
/// ID tokens signed on demand (also with a stranger's key, to test bad signatures).
struct TestIdentityProvider: Sendable {
    static let issuer = "https://accounts.test.example"
    static let audience = "shortlinks-staff-ui"
    static let kid = "test-key-1"

    /// Key generation is slow in debug builds: one pair (and one stranger) per test process.
    static let shared: TestIdentityProvider = {
        TestIdentityProvider(key: makeKey(), stranger: makeKey())
    }()

    let key: JWTKit.Insecure.RSA.PrivateKey
    let stranger: JWTKit.Insecure.RSA.PrivateKey

    static func makeKey() -> JWTKit.Insecure.RSA.PrivateKey {
        try! JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    }

    /// The JWKS with our public key, written to a fresh temporary file.
    func writeJWKS() throws -> String {
        let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
        let jwks = """
            {"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"\(Self.kid)","n":"\(Self.base64URL(modulus))","e":"\(Self.base64URL(exponent))"}]}
            """
        let path = NSTemporaryDirectory() + "jwks-\(UUID().uuidString).json"
        try jwks.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Auth settings that trust this provider for `macondo.example`.
    func authConfiguration() throws -> AuthConfiguration {
        AuthConfiguration(
            allowedDomains: ["macondo.example"],
            oidc: OIDCConfiguration(issuers: [Self.issuer], audiences: [Self.audience], keys: .file(try writeJWKS())))
    }

    struct Claims: JWTPayload {
        var iss: String
        var aud: String
        var exp: Double
        var iat: Double
        var sub: String
        var email: String?
        var email_verified: Bool?
        var name: String?
        var picture: String?
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A signed ID token; every claim can be spoiled.
    func idToken(
        email: String = "new.person@macondo.example", verified: Bool = true, issuer: String = issuer,
        audience: String = audience, expiresIn: Double = 600, name: String? = "New Person", signedByStranger: Bool = false
    ) async throws -> String {
        let now = Date().timeIntervalSince1970
        let claims = Claims(
            iss: issuer, aud: audience, exp: now + expiresIn, iat: now - 5, sub: "sub-\(email)", email: email,
            email_verified: verified, name: name, picture: "https://images.example/p.png")
        let keys = JWTKeyCollection()
        await keys.add(rsa: signedByStranger ? stranger : key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: Self.kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: Self.kid))
    }

    /// An HS256 token with the right claims (must be refused: only RS256 is accepted).
    func hmacToken() async throws -> String {
        let now = Date().timeIntervalSince1970
        let claims = Claims(
            iss: Self.issuer, aud: Self.audience, exp: now + 600, iat: now, sub: "x", email: "hmac@macondo.example",
            email_verified: true, name: nil, picture: nil)
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: "secret-secret-secret-secret-secret"), digestAlgorithm: .sha256, kid: JWKIdentifier(string: Self.kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: Self.kid))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
