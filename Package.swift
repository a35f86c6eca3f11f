// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "shortlinks",
    // Linux only: the sources use Glibc, epoll, /proc/pressure and Linux's statvfs and
    // rlimit directly, and nothing is built or tested on another system. (No `platforms`
    // entry: SwiftPM has no minimum-version setting for Linux.)
    products: [
        .executable(name: "shortlinks", targets: ["shortlinks"]),
        .executable(name: "loadtest", targets: ["loadtest"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        // FilePath for swift-configuration's file provider (the URL swift-configuration names).
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // System libraries: a modulemap and a shim header each, nothing else.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CMaxMindDB",
            pkgConfig: "libmaxminddb",
            providers: [.apt(["libmaxminddb-dev"])]
        ),

        // Domain values and small protocols; standard library only.
        .target(name: "ShortLinkCore", swiftSettings: strict),

        // Safe Swift over libpq, no domain knowledge.
        .target(
            name: "LibPQ",
            dependencies: [
                "CLibPQ",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // A private Postgres cluster from the installed binaries.
        // Child processes through posix_spawn (Foundation's Process crashes now and then on
        // Linux; see SpawnedProcess).
        .target(name: "Spawn", swiftSettings: strict),
        .target(name: "EmbeddedPostgres", dependencies: ["Spawn"], swiftSettings: strict),

        // MaxMind DB (mmdb) reader: IP address -> GeoLocation, reloadable. No Foundation.
        .target(name: "GeoIPLookup", dependencies: ["ShortLinkCore", "CMaxMindDB"], swiftSettings: strict),
        // Bot classifier and user-agent parser: Core only, no Foundation, no NIO.
        .target(name: "BotDetection", dependencies: ["ShortLinkCore"], swiftSettings: strict),

        // Migrations runner and repositories.
        .target(
            name: "Storage",
            dependencies: [
                "ShortLinkCore", "LibPQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The edge: NIO redirect server, link cache, click capture. No libpq, no Foundation networking.
        .target(
            name: "RedirectServer",
            dependencies: [
                "ShortLinkCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Click pipeline: journal segments, enrichment, batched COPY writer, replay.
        .target(
            name: "ClickPipeline",
            dependencies: [
                "ShortLinkCore", "GeoIPLookup", "BotDetection",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // The staff API: Hummingbird routes, auth (API tokens, OIDC ID tokens), DTOs,
        // problem+json errors, the OpenAPI document, /readyz and /metrics.
        .target(
            name: "AdminAPI",
            dependencies: [
                "ShortLinkCore", "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: strict
        ),

        // Composition root: configuration and service wiring.
        .target(
            name: "ShortLinkApp",
            dependencies: [
                "ShortLinkCore", "LibPQ", "Storage", "EmbeddedPostgres", "RedirectServer", "GeoIPLookup", "BotDetection",
                "ClickPipeline", "AdminAPI", "Spawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "shortlinks",
            dependencies: [
                "ShortLinkApp", "EmbeddedPostgres", "BotDetection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // The load-test harness (loadtest/): scenarios, open/closed-loop drivers, a small
        // HTTP/1.1 client over NIO, HdrHistogram results, click verification in Postgres.
        .target(
            name: "LoadTestKit",
            dependencies: [
                "LibPQ", "Spawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "loadtest/Sources/LoadTestKit",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "loadtest",
            dependencies: [
                "LoadTestKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "loadtest/Sources/loadtest",
            swiftSettings: strict
        ),

        // Test support: the throwaway Postgres cluster and fixtures.
        .target(
            name: "ShortLinkTesting",
            dependencies: [
                "ShortLinkCore", "LibPQ", "Storage", "EmbeddedPostgres", "ShortLinkApp", "GeoIPLookup", "AdminAPI",
                "RedirectServer", "Spawn",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "ShortLinkCoreTests", dependencies: ["ShortLinkCore"], swiftSettings: strict),
        .testTarget(
            name: "LibPQTests",
            dependencies: ["LibPQ", "ShortLinkTesting", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RedirectServerTests",
            dependencies: [
                "RedirectServer", "ShortLinkCore", "ShortLinkTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GeoIPLookupTests",
            dependencies: ["GeoIPLookup", "ShortLinkCore", "ShortLinkTesting"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ClickPipelineTests",
            dependencies: [
                "ClickPipeline", "ShortLinkCore", "ShortLinkTesting", "GeoIPLookup", "BotDetection",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "BotDetectionTests", dependencies: ["BotDetection", "ShortLinkCore"], swiftSettings: strict),
        .testTarget(name: "EmbeddedPostgresTests", dependencies: ["EmbeddedPostgres", "Spawn"], swiftSettings: strict),
        .testTarget(name: "SpawnTests", dependencies: ["Spawn"], swiftSettings: strict),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "ShortLinkCore", "LibPQ", "ShortLinkTesting", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "ShortLinkApp", "ShortLinkTesting", "Storage", "LibPQ", "ShortLinkCore", "RedirectServer",
                "ClickPipeline", "EmbeddedPostgres",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ShortLinkAppTests",
            dependencies: [
                "ShortLinkApp", "ShortLinkTesting", "Storage", "LibPQ", "ShortLinkCore", "RedirectServer", "BotDetection",
                "ClickPipeline", "EmbeddedPostgres", "Spawn",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LoadTestTests",
            dependencies: [
                "LoadTestKit", "ShortLinkApp", "ShortLinkTesting", "LibPQ", "ShortLinkCore", "RedirectServer", "AdminAPI", "Storage",
                "ClickPipeline",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "loadtest/Tests/LoadTestTests",
            swiftSettings: strict
        ),
    ]
)
