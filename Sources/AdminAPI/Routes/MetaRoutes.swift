import Hummingbird
import Prometheus
import ShortLinkCore
import Storage

/// `/readyz` (no auth), `/metrics`, `/api/v1/openapi.json` and `/api/v1/me`.
struct MetaRoutes {
    let api: AdminAPI

    /// Routes that need no authentication; registered before the auth middleware.
    func registerPublic(on router: Router<AdminRequestContext>) {
        let health = DatabaseHealth(pool: api.pool)
        let checks = api.readiness
        router.get("/readyz") { _, _ in
            var members: [JSONMember] = []
            var ready = true
            do {
                try await health.ping()
                members.append(JSONMember("database", "ok"))
            } catch {
                ready = false
                members.append(JSONMember("database", "unreachable"))
            }
            if ready {
                let current = (try? await checks.migrationsCurrent()) ?? false
                ready = ready && current
                members.append(JSONMember("migrations", current ? "current" : "pending"))
            } else {
                members.append(JSONMember("migrations", "unknown"))
            }
            if let loaded = checks.cacheLoaded {
                let isLoaded = loaded()
                ready = ready && isLoaded
                members.append(JSONMember("linkCache", isLoaded ? "loaded" : "loading"))
            }
            members.insert(JSONMember("status", ready ? "ready" : "not_ready"), at: 0)
            return JSONResponse.make(.object(members), status: ready ? .ok : .serviceUnavailable)
        }
    }

    func register(on router: Router<AdminRequestContext>) {
        let registry = api.metrics
        let document = api.openAPIDocument
        let additionalMetrics = api.additionalMetrics
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            var text = registry.emitToBuffer()
            if let additionalMetrics { text += Array(await additionalMetrics().utf8) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
        }
        router.get("/api/v1/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
        router.get("/api/v1/me") { _, context in
            let caller = try context.caller()
            let method: JSONValue =
                switch caller.method {
                case .apiToken(let id): ["type": "apiToken", "tokenId": .string(id.description)]
                case .oidc: ["type": "oidc"]
                }
            return JSONResponse.make(["user": caller.user.json, "authentication": method])
        }
    }
}
