import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/tokens`: the caller's API tokens (or another user's with `userId`), creating one
/// for the caller (the secret is in that response only), revoking any.
struct TokenRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let tokens = TokenRepository(pool: api.pool)
        router.get("/api/v1/tokens") { request, context in
            try RouteSupport.requireNoQuery(request, allowing: ["userId"])
            var userID = try context.caller().user.id
            if let text = request.uri.queryParameters["userId"] {
                guard let id = EntityID(text) else {
                    throw APIError(.invalidRequest, "userId must be a UUID", errors: [FieldError(field: "userId", code: "format", message: "must be a UUID")])
                }
                userID = id
            }
            return JSONResponse.make(["items": .array(try await tokens.list(userID: userID).map(\.json))])
        }
        router.post("/api/v1/tokens") { request, context in
            let caller = try context.caller()
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            let name = try RouteSupport.name(&body, required: true)!
            let secret = APITokenSecret.generate()
            let token = try await tokens.create(userID: caller.user.id, name: name, digest: secret.digest, prefix: secret.prefix)
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
}
