import GeoIPLookup
import ShortLinkCore
import ShortLinkTesting
import Testing

/// Against the real database `scripts/install-geoip` installs; skipped where there is none
/// (CI has only the committed test databases).
@Suite(.enabled(if: TestGeoIP.installedDatabasePath != nil, "no database from scripts/install-geoip"))
struct InstalledDatabaseTests {
    @Test func lookup_whenWellKnownResolver_isInTheUS() throws {
        let lookup = try GeoIPLookup(path: try #require(TestGeoIP.installedDatabasePath))
        #expect(lookup.metadata.ipVersion == 6)
        #expect(lookup.metadata.databaseType.contains("City"))
        #expect(lookup.lookup(try #require(IPAddress("8.8.8.8")))?.countryCode == "US")
        #expect(lookup.lookup(try #require(IPAddress("::ffff:8.8.8.8")))?.countryCode == "US")
        #expect(lookup.lookup(try #require(IPAddress("2001:4860:4860::8888")))?.countryCode != nil)
        #expect(lookup.lookup(try #require(IPAddress("10.0.0.1"))) == nil)
    }
}
