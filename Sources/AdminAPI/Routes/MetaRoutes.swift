import Hummingbird
import Prometheus
import ShortLinkCore
import Storage

/// `/readyz` (no auth), `/metrics`, `/api/v1/openapi.json` and `/api/v1/me`.
struct MetaRoutes {
    let api: AdminAPI

    /// Routes that need no authentication; registered before the auth middleware.
    func registerPublic(on router: Router<AdminRequestContext>) {
        let monitor = api.readinessMonitor
        router.get("/readyz") { _, _ in
            // The last background evaluation (refreshed here only when it is stale).
            let report = await monitor.report()
            return JSONResponse.make(report.json, status: report.ready ? .ok : .serviceUnavailable)
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
