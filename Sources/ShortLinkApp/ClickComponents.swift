import BotDetection
import ClickPipeline
import Foundation
import GeoIPLookup
import Logging

/// Builds the click pipeline's parts from ``ClickSettings``, turning each failure into a
/// start-up error that says what to change.
enum ClickComponents {
    static func geoLocator(_ settings: ClickSettings, logger: Logger) throws -> any GeoLocating {
        guard settings.geoIPEnabled else {
            logger.notice("GeoIP is disabled (geoip.enabled=false): clicks are stored without country and city")
            return DisabledGeoLocator()
        }
        let candidates = settings.geoIPDatabase.map { [$0] } ?? ClickSettings.defaultGeoIPDatabases
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw AppError(
                code: .invalidConfiguration,
                message: settings.geoIPDatabase != nil
                    ? "GeoIP database \(candidates[0]) does not exist (SHORTLINKS_GEOIP_DB)"
                    : "no GeoIP database: run scripts/install-geoip, put GeoLite2-City.mmdb in GeoIP/, "
                        + "set SHORTLINKS_GEOIP_DB, or turn GeoIP off with SHORTLINKS_GEOIP_ENABLED=false")
        }
        do {
            let lookup = try GeoIPLookup(path: path)
            logger.info("GeoIP database opened", metadata: ["path": "\(path)"])
            return lookup
        } catch {
            throw AppError(code: .invalidConfiguration, message: "GeoIP database cannot be used: \(error)")
        }
    }

    static func botRules(_ settings: ClickSettings) throws -> BotRules {
        if let file = settings.botRulesFile { return try BotRulesFile.load(path: file) }
        if FileManager.default.fileExists(atPath: BotRulesFile.defaultPath) {
            return try BotRulesFile.load(path: BotRulesFile.defaultPath)
        }
        return .builtIn
    }

    static func journal(_ settings: ClickSettings, eventLoops: Int) throws -> CaptureJournal? {
        guard settings.journal else { return nil }
        do {
            return try CaptureJournal(
                configuration: CaptureJournal.Configuration(
                    directory: settings.spoolDirectory, segmentBytes: settings.journalSegmentBytes,
                    maxBytes: settings.journalMaxBytes),
                initialSegments: eventLoops + 2)
        } catch {
            throw AppError(code: .invalidConfiguration, message: "click journal: \(error)")
        }
    }
}
