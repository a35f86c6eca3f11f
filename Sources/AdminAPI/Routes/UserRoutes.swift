import Hummingbird
import ShortLinkCore
import Storage

/// `/api/v1/users`: list, get, change name/avatar, delete (with their links and tokens).
struct UserRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let users = api.database.users
        router.get("/api/v1/users") { request, _ in
            try RouteSupport.requireNoQuery(request)
            return JSONResponse.make(["items": .array(try await users.list().map(\.json))])
        }
        router.get("/api/v1/users/{userId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            guard let user = try await users.get(try RouteSupport.id(context, "userId", "user")) else { throw APIError.notFound("user") }
            return JSONResponse.make(user.json)
        }
        router.patch("/api/v1/users/{userId}") { request, context in
            let id = try RouteSupport.id(context, "userId", "user")
            var body = try await RequestBody.object(request, limit: api.configuration.maxBodyBytes)
            let name = body.string("name")
            let avatar = body.patchString("avatarUrl")
            try body.finish()
            try body.refuseNulls(["name"])
            var errors: [FieldError] = []
            var checkedName: String?
            if let name {
                switch NameRules.check(name, field: "name") {
                case .success(let value): checkedName = value
                case .failure(let error): errors.append(error)
                }
            }
            if case .value(let url) = avatar, let error = api.avatarRules.check(url, field: "avatarUrl") { errors.append(error) }
            guard errors.isEmpty else {
                throw APIError(.validationFailed, errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "), errors: errors)
            }
            let updated: User?
            do {
                updated = try await users.update(id, name: checkedName, avatarURL: avatar.doubleOptional)
            } catch {
                throw StorageErrorMapping.map(error)
            }
            guard let user = updated else { throw APIError.notFound("user") }
            return JSONResponse.make(user.json)
        }
        router.delete("/api/v1/users/{userId}") { request, context in
            try RouteSupport.requireNoQuery(request)
            let id = try RouteSupport.id(context, "userId", "user")
            guard let links = try await users.delete(id) else { throw APIError.notFound("user") }
            return JSONResponse.make(["id": .string(id.description), "deletedLinks": .int(links)])
        }
    }
}
