import Foundation
import Spawn

/// Finds the service's database: `--database-url`, else `DATABASE_URL`, else the last line
/// of `shortlinks db url` (the embedded cluster of the current directory), with the
/// `shortlinks` next to this executable or on `PATH`.
public enum DatabaseURLResolver {
    /// The URL, or an error saying what to set.
    /// - Parameters:
    ///   - flag: the `--database-url` value, if any.
    ///   - environment: the process environment.
    public static func resolve(flag: String?, environment: [String: String]? = nil) throws -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let flag, !flag.isEmpty { return flag }
        if let url = environment["DATABASE_URL"], !url.isEmpty { return url }
        // The running executable's own path (argv[0] may be a bare name found on PATH).
        let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let beside = me.deletingLastPathComponent().appendingPathComponent("shortlinks").path
        let candidates = [beside] + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/shortlinks" }
        guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw LoadTestError(
                .database, "no database for --verify: set DATABASE_URL or --database-url (no shortlinks executable found for `shortlinks db url`)")
        }
        let result: SpawnOutput
        do {
            result = try SpawnedProcess.run(executable, ["db", "url"], environment: ProcessInfo.processInfo.environment)
        } catch {
            throw LoadTestError(.database, "cannot run \(executable) db url: \(error)")
        }
        let last = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard result.status == 0, !last.isEmpty else {
            throw LoadTestError(.database, "`shortlinks db url` failed (status \(result.status)): set DATABASE_URL or --database-url")
        }
        return last
    }
}
