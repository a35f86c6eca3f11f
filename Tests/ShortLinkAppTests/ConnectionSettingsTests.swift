import AdminAPI
import RedirectServer
import ShortLinkApp
import Testing

/// The connection-limit and metrics-listener settings: defaults, environment, bad values.
@Suite struct ConnectionSettingsTests {
    static let noFile = "/nonexistent/shortlinks.json"

    @Test func defaults_areTheDocumentedOnes() async throws {
        let configuration = try await AppConfiguration.load(environment: [:], configFile: Self.noFile)
        #expect(configuration.edge.maxConnectionsPerClient == 256)
        #expect(configuration.edge.headerTimeoutSeconds == 10)
        #expect(configuration.edge.metricsHost == "127.0.0.1")
        #expect(configuration.edge.metricsPort == 9090)
        #expect(configuration.admin.headerTimeoutSeconds == 10)
        #expect(configuration.admin.bodyTimeoutSeconds == 30)
        #expect(configuration.admin.idleTimeoutSeconds == 60)
        #expect(configuration.admin.maxConnections == 1_000)
    }

    @Test func environment_setsEveryKey() async throws {
        let configuration = try await AppConfiguration.load(
            environment: [
                "SHORTLINKS_EDGE_MAX_CONNECTIONS_PER_CLIENT": "4", "SHORTLINKS_EDGE_HEADER_TIMEOUT_SECONDS": "2.5",
                "SHORTLINKS_EDGE_METRICS_ADDR": "[::1]:9191", "SHORTLINKS_ADMIN_HEADER_TIMEOUT_SECONDS": "3",
                "SHORTLINKS_ADMIN_BODY_TIMEOUT_SECONDS": "4", "SHORTLINKS_ADMIN_IDLE_TIMEOUT_SECONDS": "5",
                "SHORTLINKS_ADMIN_MAX_CONNECTIONS": "6",
            ], configFile: Self.noFile)
        #expect(configuration.edge.maxConnectionsPerClient == 4)
        #expect(configuration.edge.headerTimeoutSeconds == 2.5)
        #expect(configuration.edge.metricsHost == "::1")
        #expect(configuration.edge.metricsPort == 9191)
        #expect(configuration.admin.headerTimeoutSeconds == 3)
        #expect(configuration.admin.bodyTimeoutSeconds == 4)
        #expect(configuration.admin.idleTimeoutSeconds == 5)
        #expect(configuration.admin.maxConnections == 6)
        let off = try await AppConfiguration.load(environment: ["SHORTLINKS_EDGE_METRICS_ADDR": "off"], configFile: Self.noFile)
        #expect(off.edge.metricsHost == nil)
    }

    @Test(arguments: [
        ("SHORTLINKS_EDGE_MAX_CONNECTIONS_PER_CLIENT", "-1"), ("SHORTLINKS_EDGE_HEADER_TIMEOUT_SECONDS", "0"),
        ("SHORTLINKS_EDGE_METRICS_ADDR", "nonsense"), ("SHORTLINKS_ADMIN_BODY_TIMEOUT_SECONDS", "0"),
        ("SHORTLINKS_ADMIN_MAX_CONNECTIONS", "0"),
    ])
    func badValue_stopsTheStartWithAMessageNamingIt(key: String, value: String) async throws {
        await #expect(throws: AppError.self) {
            _ = try await AppConfiguration.load(environment: [key: value], configFile: Self.noFile)
        }
    }
}
