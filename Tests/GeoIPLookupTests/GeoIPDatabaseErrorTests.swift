import GeoIPLookup
import ShortLinkCore
import ShortLinkTesting
import Testing

@Suite struct GeoIPDatabaseErrorTests {
    @Test func open_whenFileMissing_throwsFileNotFoundNamingThePath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("nowhere/GeoLite2-City.mmdb")
        let error = try #require(throws: GeoIPError.self) { try GeoIPDatabase(path: path) }
        #expect(error.code == .fileNotFound)
        #expect(error.path == path)
        #expect(error.description.contains(path))
        #expect(error.description.hasPrefix("fileNotFound: "))
    }

    @Test func open_whenRandomBytes_throwsInvalidDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(garbageBytes(count: 4096), to: "random.mmdb")
        let error = try #require(throws: GeoIPError.self) { try GeoIPDatabase(path: path) }
        #expect(error.code == .invalidDatabase)
        #expect(error.description.contains(path))
    }

    @Test(arguments: [0.25, 0.5, 0.9, 0.99])
    func open_whenTruncatedCopy_throwsInvalidDatabase(_ fraction: Double) throws {
        let directory = try TemporaryDirectory()
        let original = try readBytes(TestGeoIP.cityDatabasePath)
        let path = try directory.write(Array(original.prefix(Int(Double(original.count) * fraction))), to: "truncated.mmdb")
        let error = try #require(throws: GeoIPError.self) { try GeoIPDatabase(path: path) }
        #expect(error.code == .invalidDatabase)
        #expect(error.description.contains(path))
    }

    @Test func open_whenEmptyFile_throwsInvalidDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write([], to: "empty.mmdb")
        let error = try #require(throws: GeoIPError.self) { try GeoIPDatabase(path: path) }
        #expect(error.code == .invalidDatabase)
    }

    @Test func open_whenDirectory_throwsInvalidDatabase() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: GeoIPError.self) { try GeoIPDatabase(path: directory.path) }
        #expect(error.code == .invalidDatabase)
        #expect(error.description.contains(directory.path))
    }

    @Test func locate_whenDataSectionCorrupt_throwsLookupFailedWithoutTheAddress() throws {
        // The search tree and metadata are intact, so the file opens; the records behind
        // the tree (node count × record size × 2 bits, then 16 zero bytes) are garbage.
        let intact = try GeoIPDatabase(path: TestGeoIP.cityDatabasePath).metadata
        var bytes = try readBytes(TestGeoIP.cityDatabasePath)
        let dataStart = intact.nodeCount * intact.recordSize * 2 / 8 + 16
        let marker: [UInt8] = [0xAB, 0xCD, 0xEF] + Array("MaxMind.com".utf8)
        let metadataStart = try #require((0...(bytes.count - marker.count)).last { Array(bytes[$0..<($0 + marker.count)]) == marker })
        for index in dataStart..<metadataStart { bytes[index] = 0xFF }
        let directory = try TemporaryDirectory()
        let path = try directory.write(bytes, to: "corrupt-data.mmdb")

        let database = try GeoIPDatabase(path: path)
        let address = try #require(IPAddress("203.0.113.7"))
        let error = try #require(throws: GeoIPError.self) { try database.locate(address) }
        #expect(error.code == .lookupFailed)
        #expect(error.description.contains(path))
        #expect(!error.description.contains("203.0.113"))
        #expect(database.lookup(address) == nil)
    }

    @Test func lookupInit_whenFileMissing_throwsFileNotFound() throws {
        let error = try #require(throws: GeoIPError.self) { try GeoIPLookup(path: "/nonexistent/geoip.mmdb") }
        #expect(error.code == .fileNotFound)
        #expect(error.description.contains("/nonexistent/geoip.mmdb"))
    }
}
