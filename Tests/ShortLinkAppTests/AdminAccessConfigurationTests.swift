import AdminAPI
import Testing

@testable import ShortLinkApp

/// The admin access settings (public URL, CORS origins, rate limit) as read from the environment.
@Suite struct AdminAccessConfigurationTests {
    static func load(_ environment: [String: String]) async throws -> AdminConfiguration {
        try await AppConfiguration.load(environment: environment, configFile: "/nonexistent/shortlinks.json").admin
    }

    @Test func defaults_areRelativeServerNoCORSNoLimit() async throws {
        let admin = try await Self.load([:])
        #expect(admin.publicURL == nil)
        #expect(admin.corsAllowedOrigins.isEmpty)
        #expect(!admin.rateLimit.isEnabled)
    }

    @Test func environment_setsPublicURLOriginsAndRateLimit() async throws {
        let admin = try await Self.load([
            "SHORTLINKS_ADMIN_PUBLIC_URL": "https://admin.sho.rt/",
            "SHORTLINKS_ADMIN_CORS_ALLOWED_ORIGINS": "https://console.example, http://localhost:5173",
            "SHORTLINKS_ADMIN_RATE_LIMIT_PER_SECOND": "20",
            "SHORTLINKS_ADMIN_RATE_LIMIT_BURST": "100",
        ])
        #expect(admin.publicURL == "https://admin.sho.rt")
        #expect(admin.corsAllowedOrigins == ["https://console.example", "http://localhost:5173"])
        #expect(admin.rateLimit == RateLimitConfiguration(perSecond: 20, burst: 100))
    }

    @Test func badValues_stopTheStartWithAMessage() async throws {
        for (key, value) in [
            ("SHORTLINKS_ADMIN_PUBLIC_URL", "admin.sho.rt"),
            ("SHORTLINKS_ADMIN_CORS_ALLOWED_ORIGINS", "*"),
            ("SHORTLINKS_ADMIN_CORS_ALLOWED_ORIGINS", "https://console.example/app"),
            ("SHORTLINKS_ADMIN_CORS_ALLOWED_ORIGINS", "null"),
            ("SHORTLINKS_ADMIN_RATE_LIMIT_PER_SECOND", "-1"),
        ] {
            await #expect(throws: AppError.self, "\(key)=\(value)") { _ = try await Self.load([key: value]) }
        }
    }
}
