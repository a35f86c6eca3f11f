public import ClickPipeline
import Foundation
public import ShortLinkCore

/// How clicks are captured, enriched and stored (`clicks.*`, `geoip.*`, `bots.*` keys).
public struct ClickSettings: Sendable {
    /// Store clicks; default `true`. `false` only counts them (the edge benchmark's
    /// baseline): nothing is written, GeoIP is not opened.
    public var store: Bool
    /// The spool directory holding the click journal; default `.data/spool`.
    /// One per running instance (the journal takes a lock on it).
    public var spoolDirectory: String
    /// Capture into the crash-safe journal; default `true`. `false` keeps captured clicks
    /// in memory only (a `kill -9` loses up to the last ~50 ms plus the writer's queue).
    public var journal: Bool
    /// Bytes per journal segment file; default 16 MiB.
    public var journalSegmentBytes: Int
    /// The most the journal may take on disk; default 2 GiB.
    public var journalMaxBytes: Int
    /// Store IPv4 addresses as /24 and IPv6 as /48 (GeoIP and the visitor hash use the full
    /// address first); default `true`.
    public var anonymizeIP: Bool
    /// Writer settings (batch size, memory bound, drain timeout, retention).
    public var pipeline: ClickPipelineConfiguration
    /// The mmdb file; `nil` means: `GeoIP/GeoLite2-City.mmdb`, else `GeoIP/dbip-city-lite.mmdb`.
    public var geoIPDatabase: String?
    /// Look clicks up in GeoIP; default `true`. When on, a missing or unreadable database
    /// stops start-up with an error.
    public var geoIPEnabled: Bool
    /// Seconds between checks whether the mmdb file was replaced (it is also re-read on
    /// SIGHUP); default 60.
    public var geoIPCheckSeconds: Double
    /// Bot rules file; default `Config/bot-rules.json` when present, else the built-in copy.
    public var botRulesFile: String?
    /// Named CIDR lists for `ip:<name>` bot reasons.
    public var botIPLists: [String: [CIDR]]
    /// Seconds click writes may keep failing before `/readyz` says not ready; default 30.
    public var unhealthyAfterSeconds: Double
    /// Free bytes the spool directory's file system must keep for the journal, or `/readyz`
    /// says not ready; default 64 MiB (four default segments). 0 turns the check off.
    public var journalMinFreeBytes: Int
    /// The rollup worker: how often it materialises stored clicks into the metrics
    /// (`rollups.intervalSeconds`, default 30) and how many clicks a cycle takes at most
    /// (`rollups.maxClicksPerCycle`, default 1,000,000).
    public var rollups: RollupWorkerConfiguration

    /// Creates settings; every parameter has the documented default. (Tests use this with
    /// GeoIP off unless they pass the test database.)
    public init(
        store: Bool = true, spoolDirectory: String = ".data/spool", journal: Bool = true, journalSegmentBytes: Int = 16 << 20,
        journalMaxBytes: Int = 2 << 30, anonymizeIP: Bool = true,
        pipeline: ClickPipelineConfiguration = ClickPipelineConfiguration(),
        geoIPDatabase: String? = nil, geoIPEnabled: Bool = true, geoIPCheckSeconds: Double = 60,
        botRulesFile: String? = nil, botIPLists: [String: [CIDR]] = [:],
        unhealthyAfterSeconds: Double = 30, journalMinFreeBytes: Int = 64 << 20,
        rollups: RollupWorkerConfiguration = RollupWorkerConfiguration()
    ) {
        self.store = store
        self.spoolDirectory = spoolDirectory
        self.journal = journal
        self.journalSegmentBytes = journalSegmentBytes
        self.journalMaxBytes = journalMaxBytes
        self.anonymizeIP = anonymizeIP
        self.pipeline = pipeline
        self.geoIPDatabase = geoIPDatabase
        self.geoIPEnabled = geoIPEnabled
        self.geoIPCheckSeconds = geoIPCheckSeconds
        self.botRulesFile = botRulesFile
        self.botIPLists = botIPLists
        self.unhealthyAfterSeconds = unhealthyAfterSeconds
        self.journalMinFreeBytes = journalMinFreeBytes
        self.rollups = rollups
    }

    /// Where GeoIP databases are looked for when none is configured, in order.
    public static let defaultGeoIPDatabases = ["GeoIP/GeoLite2-City.mmdb", "GeoIP/dbip-city-lite.mmdb"]

    /// Parses `name=cidr` entries (several CIDRs of one name may be separated by `|`).
    /// - Parameter entries: e.g. `["monitoring=192.0.2.0/24|198.51.100.7"]`.
    static func parseIPLists(_ entries: [String]) throws -> [String: [CIDR]] {
        var lists: [String: [CIDR]] = [:]
        for entry in entries {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty,
                parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            else {
                throw AppError(
                    code: .invalidConfiguration,
                    message: "bots.ipLists: '\(entry)' is not name=CIDR (e.g. monitoring=192.0.2.0/24)")
            }
            for text in parts[1].split(separator: "|").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let cidr = CIDR(text) else {
                    throw AppError(
                        code: .invalidConfiguration, message: "bots.ipLists: '\(text)' in '\(parts[0])' is not a CIDR block")
                }
                lists[parts[0], default: []].append(cidr)
            }
        }
        return lists
    }
}
