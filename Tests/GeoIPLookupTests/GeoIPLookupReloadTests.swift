import Foundation
import GeoIPLookup
import ShortLinkCore
import ShortLinkTesting
import Testing

@Suite struct GeoIPLookupReloadTests {
    let directory: TemporaryDirectory
    let path: String
    let lookup: GeoIPLookup
    let address: IPAddress

    init() throws {
        directory = try TemporaryDirectory()
        path = try directory.copy(TestGeoIP.cityDatabasePath, to: "city.mmdb")
        lookup = try GeoIPLookup(path: path)
        address = try #require(IPAddress(TestGeoIP.changingAddress))
    }

    @Test func reloadIfChanged_whenFileUnchanged_isFalse() throws {
        #expect(try lookup.reloadIfChanged() == false)
        #expect(try lookup.reloadIfChanged() == false)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)
    }

    @Test func reloadIfChanged_whenFileRenamedOver_loadsTheNewDatabase() throws {
        let before = lookup.database
        try directory.replaceAtomically(path, withContentsOf: TestGeoIP.cityDatabaseV2Path)
        // Until the check, lookups still answer from the old database.
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)

        #expect(try lookup.reloadIfChanged() == true)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV2)
        #expect(lookup.metadata.buildEpoch == 1_738_368_000)
        #expect(try lookup.reloadIfChanged() == false)
        // A reader that took the old database before the swap can still use it.
        #expect(before.lookup(address) == TestGeoIP.changingAddressV1)
    }

    @Test func reloadIfChanged_whenReplacementIsGarbage_throwsAndKeepsTheOldDatabase() throws {
        try directory.replaceAtomically(path, with: garbageBytes(count: 3000))
        let error = try #require(throws: GeoIPError.self) { try lookup.reloadIfChanged() }
        #expect(error.code == .invalidDatabase)
        #expect(error.description.contains(path))
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)

        // Once a good file is installed, the next check picks it up.
        try directory.replaceAtomically(path, withContentsOf: TestGeoIP.cityDatabaseV2Path)
        #expect(try lookup.reloadIfChanged() == true)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV2)
    }

    @Test func reloadIfChanged_whenFileRemoved_throwsFileNotFoundAndKeepsAnswering() throws {
        try FileManager.default.removeItem(atPath: path)
        let error = try #require(throws: GeoIPError.self) { try lookup.reloadIfChanged() }
        #expect(error.code == .fileNotFound)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)
    }

    @Test func reload_whenUnchanged_reopensAnyway() throws {
        let before = lookup.database
        try lookup.reload()
        #expect(lookup.database !== before)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)
    }

    @Test func reload_whenOldDatabaseHasNoReaderLeft_releasesIt() throws {
        weak let old = lookup.database
        #expect(old != nil)
        try directory.replaceAtomically(path, withContentsOf: TestGeoIP.cityDatabaseV2Path)
        #expect(try lookup.reloadIfChanged())
        #expect(old == nil)
    }

    @Test func reload_whenTruncated_throwsAndKeepsTheOldDatabase() throws {
        let original = try readBytes(TestGeoIP.cityDatabaseV2Path)
        try directory.replaceAtomically(path, with: Array(original.prefix(original.count / 2)))
        let error = try #require(throws: GeoIPError.self) { try lookup.reload() }
        #expect(error.code == .invalidDatabase)
        #expect(lookup.lookup(address) == TestGeoIP.changingAddressV1)
    }
}
