import CMaxMindDB
public import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One open MaxMind DB (mmdb) file, such as GeoIP2/GeoLite2 City or DB-IP City Lite,
/// memory-mapped once and read by any number of threads.
///
/// Lookups only read the mapped file and the immutable `MMDB_s`, which libmaxminddb allows
/// from many threads at once; the file is unmapped (`MMDB_close`) when the last reference
/// goes. Because the mapping outlives a rename or unlink, a new version of the file must be
/// installed by writing it elsewhere and renaming it over the old one, never by rewriting it
/// in place.
public final class GeoIPDatabase: GeoLocating, @unchecked Sendable {  // see the note on lookups above
    /// The file this database was opened from.
    public let path: String
    /// What the file says about itself (type, build time), for logs.
    public let metadata: GeoIPMetadata
    /// The file's identity when it was opened, so a reload can tell whether it changed.
    let identity: FileIdentity
    private let mmdb: UnsafeMutablePointer<MMDB_s>

    /// Opens and maps an mmdb file.
    /// - Parameter path: the file, e.g. `GeoIP/GeoLite2-City.mmdb`.
    /// - Throws: ``GeoIPError`` `fileNotFound`, `invalidDatabase` (not an mmdb, corrupt,
    ///   truncated) or `ioError`; the message names the path.
    public init(path: String) throws(GeoIPError) {
        // The identity is taken before opening: if the file is replaced in between, the next
        // reload check sees a change and loads it again, never the other way round.
        let identity = try FileIdentity(path: path)
        guard identity.size > 0 else {
            throw GeoIPError(code: .invalidDatabase, path: path, message: "GeoIP database \(path) is empty")
        }
        let mmdb = UnsafeMutablePointer<MMDB_s>.allocate(capacity: 1)
        mmdb.initialize(to: MMDB_s())
        let status = MMDB_open(path, UInt32(MMDB_MODE_MMAP), mmdb)
        guard status == MMDB_SUCCESS else {
            let openErrno = errno
            mmdb.deallocate()
            throw Self.openError(status: status, errno: openErrno, path: path)
        }
        self.path = path
        self.identity = identity
        self.mmdb = mmdb
        self.metadata = Self.readMetadata(mmdb.pointee.metadata)
    }

    deinit {
        MMDB_close(mmdb)
        mmdb.deallocate()
    }

    /// The location of an address, or `nil` when the database has no network holding it
    /// (private and unassigned ranges, or an IPv6 address in an IPv4-only database) or
    /// the record is malformed.
    /// - Parameter address: an IPv4 or IPv6 address.
    public func lookup(_ address: IPAddress) -> GeoLocation? {
        (try? locate(address)) ?? nil
    }

    /// Like ``lookup(_:)``, but a malformed search tree or record is an error instead of `nil`.
    /// - Parameter address: an IPv4 or IPv6 address.
    /// - Returns: the location; `nil` when no network holds the address or its record has
    ///   neither a country nor a city.
    /// - Throws: ``GeoIPError`` `lookupFailed` (the message never contains the address).
    public func locate(_ address: IPAddress) throws(GeoIPError) -> GeoLocation? {
        var lookupError: Int32 = MMDB_SUCCESS
        let result = address.withSocketAddress { socketAddress in
            MMDB_lookup_sockaddr(mmdb, socketAddress, &lookupError)
        }
        if lookupError == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR { return nil }
        guard lookupError == MMDB_SUCCESS else { throw lookupFailure(lookupError) }
        guard result.found_entry else { return nil }
        var entry = result.entry
        var country = try string(in: &entry, at: .countryISOCode)
        if country == nil { country = try string(in: &entry, at: .registeredCountryISOCode) }
        let city = try string(in: &entry, at: .cityEnglishName)
        if country == nil, city == nil { return nil }
        return GeoLocation(countryCode: country, city: city)
    }

    /// The UTF-8 string at `path` in a record; `nil` when the record has no such key or holds
    /// something else there.
    private func string(in entry: inout MMDB_entry_s, at path: MMDBPath) throws(GeoIPError) -> String? {
        var data = MMDB_entry_data_s()
        let status = MMDB_aget_value(&entry, &data, path.components)
        switch status {
        case MMDB_SUCCESS:
            break
        case MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR, MMDB_INVALID_LOOKUP_PATH_ERROR:
            return nil  // e.g. `city` holds no map here: treat as absent
        default:
            throw lookupFailure(status)
        }
        guard data.has_data, data.type == UInt32(MMDB_DATA_TYPE_UTF8_STRING), data.data_size > 0,
            let start = data.utf8_string
        else { return nil }
        // Strings in the data section are not NUL-terminated: read exactly data_size bytes.
        let count = Int(data.data_size)
        return start.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }

    private func lookupFailure(_ status: Int32) -> GeoIPError {
        GeoIPError(
            code: .lookupFailed, path: path,
            message: "GeoIP lookup in \(path) failed: \(String(cString: MMDB_strerror(status)))")
    }

    private static func openError(status: Int32, errno openErrno: Int32, path: String) -> GeoIPError {
        let reason = String(cString: MMDB_strerror(status))
        switch status {
        case MMDB_FILE_OPEN_ERROR where openErrno == ENOENT:
            return GeoIPError(code: .fileNotFound, path: path, message: "GeoIP database not found at \(path)")
        case MMDB_FILE_OPEN_ERROR, MMDB_IO_ERROR, MMDB_OUT_OF_MEMORY_ERROR:
            let detail = openErrno != 0 ? " (\(String(cString: strerror(openErrno))))" : ""
            return GeoIPError(code: .ioError, path: path, message: "cannot read GeoIP database \(path): \(reason)\(detail)")
        default:
            return GeoIPError(
                code: .invalidDatabase, path: path,
                message: "GeoIP database \(path) is not a valid MaxMind DB file (corrupt, truncated or another format): \(reason)")
        }
    }

    private static func readMetadata(_ raw: MMDB_metadata_s) -> GeoIPMetadata {
        var languages: [String] = []
        if let names = raw.languages.names {
            for index in 0..<raw.languages.count {
                if let name = names[index] { languages.append(String(cString: name)) }
            }
        }
        return GeoIPMetadata(
            databaseType: raw.database_type.map { String(cString: $0) } ?? "",
            buildEpoch: raw.build_epoch,
            ipVersion: Int(raw.ip_version),
            recordSize: Int(raw.record_size),
            nodeCount: Int(raw.node_count),
            languages: languages)
    }
}
