import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["db", "url"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw LoadTestError(.database, "cannot run \(executable) db url: \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let last = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        guard process.terminationStatus == 0, !last.isEmpty else {
            throw LoadTestError(.database, "`shortlinks db url` failed (status \(process.terminationStatus)): set DATABASE_URL or --database-url")
        }
        return last
    }
}
