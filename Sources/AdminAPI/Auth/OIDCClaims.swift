import Foundation
import JWTKit

/// The claims of an ID token that the API reads. Time and audience checks are done by
/// ``OIDCVerifier`` (with its leeway and configured audiences), not by jwt-kit.
struct OIDCClaims: JWTPayload {
    var iss: String?
    var aud: AudienceClaim?
    var exp: Double?
    var nbf: Double?
    var email: String?
    var emailVerified: BoolClaim?
    var name: String?
    var picture: String?

    enum CodingKeys: String, CodingKey {
        case iss, aud, exp, nbf, email, name, picture
        case emailVerified = "email_verified"
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
