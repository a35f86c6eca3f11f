public import ShortLinkCore

/// What an mmdb file says about itself, for logs and sanity checks.
public struct GeoIPMetadata: Sendable, Hashable, CustomStringConvertible {
    /// The database type, e.g. `GeoIP2-City` or `DBIP-City-Lite`.
    public var databaseType: String
    /// When the database was built, in seconds since the Unix epoch.
    public var buildEpoch: UInt64
    /// 4 or 6: an IPv6 database also answers IPv4 addresses.
    public var ipVersion: Int
    /// Bits per search-tree record (24, 28 or 32).
    public var recordSize: Int
    /// Nodes in the search tree.
    public var nodeCount: Int
    /// Languages the database has names in, e.g. `["en", "de"]`.
    public var languages: [String]

    /// Creates metadata.
    /// - Parameters:
    ///   - databaseType: the database type.
    ///   - buildEpoch: build time in seconds since the Unix epoch.
    ///   - ipVersion: 4 or 6.
    ///   - recordSize: bits per record.
    ///   - nodeCount: nodes in the search tree.
    ///   - languages: languages of the names; default none.
    public init(databaseType: String, buildEpoch: UInt64, ipVersion: Int, recordSize: Int, nodeCount: Int, languages: [String] = []) {
        self.databaseType = databaseType
        self.buildEpoch = buildEpoch
        self.ipVersion = ipVersion
        self.recordSize = recordSize
        self.nodeCount = nodeCount
        self.languages = languages
    }

    /// The build time as a ``Timestamp``.
    public var buildTime: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64(clamping: buildEpoch) &* 1_000_000)
    }

    /// One line for logs, e.g. `GeoIP2-City, IPv6, built 2025-01-01T00:00:00.000000Z, 312 nodes`.
    public var description: String {
        "\(databaseType), IPv\(ipVersion), built \(buildTime.iso8601), \(nodeCount) nodes"
    }
}
