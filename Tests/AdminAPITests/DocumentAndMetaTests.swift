import CoreMetrics
import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// The OpenAPI document against the router, `/metrics` and `/readyz`.
@Suite struct DocumentAndMetaTests {
    static func documentRoutes() throws -> Set<String> {
        let document = try #require(JSONValue.parse(AdminAPI.loadOpenAPIDocument()))
        #expect(document["openapi"] == "3.1.0")
        guard case .object(let paths) = try #require(document["paths"]) else { return [] }
        var routes = Set<String>()
        let methods = ["get", "put", "post", "patch", "delete", "head", "options"]
        for path in paths {
            guard case .object(let operations) = path.value else { continue }
            for operation in operations where methods.contains(operation.key) {
                routes.insert("\(operation.key.uppercased()) \(path.key)")
            }
        }
        return routes
    }

    @Test func openAPIDocument_listsExactlyTheRegisteredRoutes() async throws {
        let harness = try await AdminHarness.make()
        let router = harness.api.makeRouter()
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
        let documented = try Self.documentRoutes()
        #expect(registered.count > 20)
        #expect(registered.subtracting(documented).isEmpty, "routes missing from openapi.json: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "documented routes that do not exist: \(documented.subtracting(registered).sorted())")
        await harness.db.drop()
    }

    @Test func openAPIDocument_listsEveryProblemCode() throws {
        let document = try #require(JSONValue.parse(AdminAPI.loadOpenAPIDocument()))
        let codes = document["components"]?["schemas"]?["Problem"]?["properties"]?["code"]?["enum"]?.arrayValue?.compactMap(\.stringValue)
        #expect(Set(codes ?? []) == Set(APIError.Code.all.map(\.rawValue)))
    }

    @Test func openAPIDocument_isServed() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let reply = try await client.get("/api/v1/openapi.json")
            #expect(reply.status == 200)
            #expect(reply.json["info"]?["title"] == "shortlinks admin API")
            #expect(reply.json == JSONValue.parse(AdminAPI.loadOpenAPIDocument()))
        }
    }

    @Test func metrics_rendersTheRegistryItWasGiven() async throws {
        let harness = try await AdminHarness.make()
        // What another component (the click pipeline) does with the shared registry.
        let factory = PrometheusMetricsFactory(registry: harness.registry)
        factory.makeCounter(label: "shortlinks_test_clicks_total", dimensions: []).increment(by: Int64(7))
        try await harness.run { client in
            _ = try await client.get("/api/v1/clients")
            _ = try await client.get("/api/v1/clients/\(UUIDText.zero)")
            let reply = try await client.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.contentType?.hasPrefix("text/plain") == true)
            #expect(reply.body.contains("shortlinks_test_clicks_total 7"))
            #expect(reply.body.contains(#"shortlinks_admin_requests_total{method="GET",route="/api/v1/clients",status="200"} 1"#))
            #expect(reply.body.contains(#"shortlinks_admin_requests_total{method="GET",route="/api/v1/clients/{clientId}",status="404"} 1"#))
            #expect(reply.body.contains("shortlinks_admin_request_duration_seconds_bucket"))
        }
    }

    @Test func readyz_whenMigrationsPendingOrCacheLoading_returns503() async throws {
        let harness = try await AdminHarness.make(readiness: ReadinessChecks(migrationsCurrent: { false }, cacheLoaded: { false }))
        try await harness.run { client in
            let reply = try await client.get("/readyz", auth: .none)
            #expect(reply.status == 503)
            #expect(reply.json["status"] == "not_ready")
            #expect(reply.json["migrations"] == "pending")
            #expect(reply.json["linkCache"] == "loading")
        }
    }

    @Test func body_overTheLimit_returns413AndChangesNothing() async throws {
        let harness = try await AdminHarness.make(maxBodyBytes: 1024)
        try await harness.run { client in
            let before = try await harness.snapshot()
            let reply = try await client.post("/api/v1/clients", #"{"name":""# + String(repeating: "x", count: 2000) + #""}"#)
            #expect(reply.status == 413)
            #expect(reply.code == "payload_too_large")
            #expect(try await harness.snapshot() == before)
        }
    }

    @Test func unknownRouteAndMethod_areProblems() async throws {
        let harness = try await AdminHarness.make()
        try await harness.run { client in
            let missing = try await client.get("/api/v1/nothing")
            #expect(missing.status == 404)
            #expect(missing.contentType == "application/problem+json")
            let method = try await client.send(.put, "/api/v1/clients", json: "{}")
            #expect(method.status == 404)
            #expect(method.code == "not_found")
            let form = try await client.send(.post, "/api/v1/clients", json: "name=x", contentType: "text/csv")
            #expect(form.status == 415)
        }
    }
}

enum UUIDText {
    static let zero = "00000000-0000-4000-8000-000000000000"
}
