import Foundation

/// Reads and writes the JSON report.
public enum ReportFile {
    /// Writes `report` as pretty, key-sorted JSON.
    public static func write(_ report: RunReport, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(report).write(to: URL(fileURLWithPath: path))
    }

    /// Reads a report written by ``write(_:to:)``.
    public static func read(_ path: String) throws -> RunReport {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadTestError(.badInput, "cannot read \(path)") }
        do { return try JSONDecoder().decode(RunReport.self, from: data) } catch {
            throw LoadTestError(.badInput, "\(path) is not a loadtest report: \(error)")
        }
    }
}
