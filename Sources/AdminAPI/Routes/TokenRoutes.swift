import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/tokens`: the caller's API tokens (or another user's with `userId`), creating one
/// for the caller (the secret is in that response only; optionally expiring, optionally
/// read-only), revoking any.
struct TokenRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let tokens = api.database.tokens
        router.get("/api/v1/tokens") { request, context in
            try RouteSupport.requireNoQuery(request, allowing: ["userId"])
            var userID = try context.caller().user.id
            if let text = request.uri.queryParameters["userId"] {
                guard let id = EntityID(text) else {
                    throw APIError(
                        .invalidRequest, "userId must be a UUID", errors: [FieldError(field: "userId", code: "format", message: "must be a UUID")])
                }
                userID = id
            }
            return JSONResponse.make(["items": .array(try await tokens.list(userID: userID).map(\.json))])
        }
        router.post("/api/v1/tokens") { request, context in
            let caller = try context.caller()
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            let lifetime = Self.lifetime(&body)
            let scopeText = body.string("scope")
            let name = try RouteSupport.name(&body, required: true)!
            var scope = APIToken.Scope.readWrite
            if let scopeText {
                guard let parsed = APIToken.Scope(rawValue: scopeText) else {
                    throw APIError.invalid("scope", "one_of", "must be read-write or read-only")
                }
                scope = parsed
            }
            let expiresAt: Timestamp?
            switch TokenLifetime.expiry(expiresIn: lifetime.expiresIn, expiresAt: lifetime.expiresAt, now: .now()) {
            case .success(let time): expiresAt = time
            case .failure(let error): throw APIError.invalid(error.field, "range", error.message)
            }
            let secret = APITokenSecret.generate()
            let token = try await tokens.create(
                userID: caller.user.id, name: name, digest: secret.digest, prefix: secret.prefix, expiresAt: expiresAt, scope: scope)
            guard case .object(var members) = token.json else { return JSONResponse.make(token.json) }
            members.append(JSONMember("token", .string(secret.token)))
            return JSONResponse.make(.object(members), status: .created)
        }
        router.delete("/api/v1/tokens/{tokenId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard try await tokens.revoke(try RouteSupport.id(context, "tokenId", "token")) != nil else {
                throw APIError.notFound("token")
            }
            return JSONResponse.noContent()
        }
    }

    /// `expiresIn` (seconds as a number, or a duration text like `30d`) and `expiresAt`, as texts.
    static func lifetime(_ body: inout FieldReader) -> (expiresIn: String?, expiresAt: String?) {
        var expiresIn: String?
        switch body.value("expiresIn") {
        case .none, .some(.null): expiresIn = nil
        case .some(.string(let text)): expiresIn = text
        case .some(.number(let number)) where number.rounded() == number && abs(number) < 1e12: expiresIn = String(Int64(number))
        case .some(let other):
            body.shapeError("expiresIn", "type", "must be a number of seconds or a duration such as 30d, not \(other.typeName)")
        }
        return (expiresIn, body.string("expiresAt"))
    }
}
