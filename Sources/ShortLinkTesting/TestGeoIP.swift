import Foundation
public import ShortLinkCore

/// The small GeoIP databases committed in the repository's `GeoIP/` folder and what they
/// answer (the table in GeoIP/README.md; regenerate with `GeoIP/make-test-db.pl`).
public enum TestGeoIP {
    /// The repository's `GeoIP/` folder (found from this source file's path).
    public static var directory: String {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        // …/Sources/ShortLinkTesting/TestGeoIP.swift → …/GeoIP
        components.removeLast(3)
        return components.joined(separator: "/") + "/GeoIP"
    }

    /// `GeoIP/test-city.mmdb`: the database every GeoIP test reads.
    public static var cityDatabasePath: String { directory + "/test-city.mmdb" }

    /// `GeoIP/test-city-v2.mmdb`: the same, except that 203.0.113.0/24 is in Genève, for reload tests.
    public static var cityDatabaseV2Path: String { directory + "/test-city-v2.mmdb" }

    /// A real database installed by `scripts/install-geoip` (`GeoIP/GeoLite2-City.mmdb` or
    /// `GeoIP/dbip-city-lite.mmdb`), if there is one; tests that need it are skipped otherwise.
    public static var installedDatabasePath: String? {
        ["GeoLite2-City.mmdb", "dbip-city-lite.mmdb"].lazy.map { directory + "/" + $0 }
            .first { FileManager.default.fileExists(atPath: $0) }
    }

    /// An address whose city differs between the two versions (203.0.113.0/24).
    public static let changingAddress = "203.0.113.7"
    /// What ``changingAddress`` resolves to in `test-city.mmdb`.
    public static let changingAddressV1 = GeoLocation(countryCode: "CH", city: "Zürich")
    /// What ``changingAddress`` resolves to in `test-city-v2.mmdb`.
    public static let changingAddressV2 = GeoLocation(countryCode: "CH", city: "Genève")

    /// One address from each network of `test-city.mmdb` and its answer (same in v2 except
    /// for ``changingAddress``).
    public static let knownLocations: [(address: String, location: GeoLocation)] = [
        ("203.0.113.7", GeoLocation(countryCode: "CH", city: "Zürich")),
        ("198.51.100.23", GeoLocation(countryCode: "BR", city: "São Paulo")),
        ("192.0.2.10", GeoLocation(countryCode: "US", city: nil)),
        ("192.0.2.200", GeoLocation(countryCode: "JP", city: nil)),
        ("8.8.8.8", GeoLocation(countryCode: "US", city: "Mountain View")),
        ("81.2.69.142", GeoLocation(countryCode: "GB", city: "London")),
        ("41.0.12.34", GeoLocation(countryCode: "ZA", city: "Johannesburg")),
        ("2001:db8:1::1", GeoLocation(countryCode: "DE", city: "Berlin")),
        ("2001:db8:2:ffff::42", GeoLocation(countryCode: "JP", city: "Tokyo")),
        ("2001:db8:3::abcd", GeoLocation(countryCode: "PL", city: "Kraków")),
        ("2a00:1450:4001::1", GeoLocation(countryCode: "IE", city: "Dublin")),
    ]

    /// Addresses in no network of either database.
    public static let unknownAddresses = [
        "10.0.0.1", "127.0.0.1", "203.0.114.1", "1.1.1.1", "2001:db8:ffff::1", "::1", "fe80::1",
    ]
}
