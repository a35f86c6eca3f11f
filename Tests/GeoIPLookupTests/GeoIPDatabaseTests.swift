import GeoIPLookup
import ShortLinkCore
import ShortLinkTesting
import Testing

@Suite struct GeoIPDatabaseTests {
    let database: GeoIPDatabase

    init() throws {
        database = try GeoIPDatabase(path: TestGeoIP.cityDatabasePath)
    }

    /// The database's answer for an address given as text.
    func location(_ text: String) throws -> GeoLocation? {
        database.lookup(try #require(IPAddress(text)))
    }

    @Test(arguments: TestGeoIP.knownLocations.map { $0.address })
    func lookup_whenAddressInANetwork_givesItsCountryAndCity(_ text: String) throws {
        let address = try #require(IPAddress(text))
        let expected = try #require(TestGeoIP.knownLocations.first { $0.address == text }?.location)
        #expect(database.lookup(address) == expected)
    }

    @Test func lookup_whenIPv4_readsTheIPv4SubtreeOfAnIPv6Database() throws {
        #expect(database.metadata.ipVersion == 6)
        #expect(try location("198.51.100.1") == GeoLocation(countryCode: "BR", city: "São Paulo"))
        #expect(try location("198.51.100.255") == GeoLocation(countryCode: "BR", city: "São Paulo"))
        #expect(try location("198.51.101.0") == nil)
    }

    @Test func lookup_whenIPv6_givesItsNetwork() throws {
        #expect(try location("2001:db8:1:2:3:4:5:6") == GeoLocation(countryCode: "DE", city: "Berlin"))
        #expect(try location("2001:0db8:0002:0000:0000:0000:0000:0001") == GeoLocation(countryCode: "JP", city: "Tokyo"))
        #expect(try location("2001:db8:4::1") == nil)
    }

    @Test func lookup_whenIPv4MappedIPv6_givesTheIPv4Answer() throws {
        let mapped = try #require(IPAddress("::ffff:203.0.113.7"))
        let hex = try #require(IPAddress("::ffff:cb00:7107"))
        #expect(database.lookup(mapped) == GeoLocation(countryCode: "CH", city: "Zürich"))
        #expect(database.lookup(hex) == GeoLocation(countryCode: "CH", city: "Zürich"))
        #expect(try location("::ffff:10.0.0.1") == nil)
    }

    @Test func lookup_whenNetworkHasCountryButNoCity_givesCountryOnly() throws {
        let found = try #require(try location("192.0.2.1"))
        #expect(found.countryCode == "US")
        #expect(found.city == nil)
    }

    @Test func lookup_whenOnlyRegisteredCountry_fallsBackToIt() throws {
        #expect(try location("192.0.2.129") == GeoLocation(countryCode: "JP", city: nil))
    }

    @Test(arguments: TestGeoIP.unknownAddresses)
    func lookup_whenAddressInNoNetwork_isNil(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(database.lookup(address) == nil)
        #expect(try database.locate(address) == nil)
    }

    @Test func lookup_whenCityNameIsNotASCII_roundTripsTheUTF8() throws {
        let zurich = try #require(try location("203.0.113.200")?.city)
        let krakow = try #require(try location("2001:db8:3::1")?.city)
        #expect(zurich == "Z\u{FC}rich")
        #expect(Array(zurich.utf8) == [0x5A, 0xC3, 0xBC, 0x72, 0x69, 0x63, 0x68])
        #expect(krakow == "Krak\u{F3}w")
        #expect(try location("198.51.100.9")?.city == "S\u{E3}o Paulo")
    }

    @Test func metadata_describesTheFile() {
        #expect(database.path == TestGeoIP.cityDatabasePath)
        #expect(database.metadata.databaseType == "GeoIP2-City")
        #expect(database.metadata.recordSize == 28)
        #expect(database.metadata.buildEpoch == 1_735_689_600)
        #expect(database.metadata.languages == ["en"])
        #expect(database.metadata.description.hasPrefix("GeoIP2-City, IPv6, built 2025-01-01T00:00:00"))
    }

    @Test func disabled_knowsNoAddress() throws {
        let locator: any GeoLocating = .disabled
        #expect(locator.lookup(try #require(IPAddress("203.0.113.7"))) == nil)
    }
}
