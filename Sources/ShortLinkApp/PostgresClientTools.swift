import Foundation

/// Finds `pg_dump`, `pg_restore` and `psql` the way the embedded cluster finds its server programs:
/// `pg_config --bindir`, then `/usr/lib/postgresql/<version>/bin` from the highest version
/// down, then the `PATH`. A directory for the server's own major version comes first, because
/// `pg_dump` refuses a server newer than itself.
struct PostgresClientTools: Sendable {
    /// Absolute path of `pg_dump`.
    var pgDump: String
    /// Absolute path of `pg_restore`.
    var pgRestore: String
    /// Absolute path of `psql`.
    var psql: String

    static let programs = ["pg_dump", "pg_restore", "psql"]

    /// - Parameter serverMajor: the server's major version (e.g. 15), when known.
    static func locate(serverMajor: Int? = nil) throws -> PostgresClientTools {
        var candidates: [String] = []
        if let serverMajor { candidates.append("/usr/lib/postgresql/\(serverMajor)/bin") }
        if let bindir = pgConfigBindir() { candidates.append(bindir) }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        candidates += versions.compactMap { Int($0) }.sorted(by: >).map { "\(root)/\($0)/bin" }
        candidates += (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
            .split(separator: ":").map(String.init)
        for directory in candidates where programs.allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }) {
            return PostgresClientTools(pgDump: "\(directory)/pg_dump", pgRestore: "\(directory)/pg_restore", psql: "\(directory)/psql")
        }
        throw AppError(
            code: .invalidConfiguration,
            message:
                "pg_dump, pg_restore and psql not found (looked at pg_config --bindir, /usr/lib/postgresql/*/bin and the PATH). Install them with: apt-get install -y --no-upgrade postgresql-client-15"
        )
    }

    private static func pgConfigBindir() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let pgConfig = path.split(separator: ":").map({ "\($0)/pg_config" }).first(where: FileManager.default.isExecutableFile(atPath:)),
            let result = try? ToolProcess.run(pgConfig, ["--bindir"], environment: ProcessInfo.processInfo.environment),
            result.status == 0
        else { return nil }
        let directory = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        return directory.isEmpty ? nil : directory
    }
}
