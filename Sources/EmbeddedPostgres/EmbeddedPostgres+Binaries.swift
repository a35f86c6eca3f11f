import Foundation

extension EmbeddedPostgres {
    /// The programs a bin directory must hold to be usable.
    static let requiredPrograms = ["initdb", "pg_ctl", "postgres"]

    /// The Debian package that provides the server binaries, named in error messages.
    static let serverPackage = "postgresql-15"

    /// Finds the directory holding the PostgreSQL server programs `initdb`, `pg_ctl`
    /// and `postgres`.
    ///
    /// Without an override it tries `pg_config --bindir` (only if that directory really
    /// holds the server programs: `pg_config` also ships with `libpq-dev` alone), then the
    /// highest-versioned `/usr/lib/postgresql/<version>/bin` that holds them.
    ///
    /// - Parameters:
    ///   - override: A directory to use instead of searching; default `nil` (search).
    ///     When given, it is the only place looked at.
    /// - Returns: The bin directory, without a trailing slash.
    /// - Throws: ``EmbeddedPostgresError/Code/binariesNotFound``, naming the places looked
    ///   at and the package to install.
    public static func locateBinaries(override: String? = nil) throws -> String {
        var lookedIn: [String] = []
        if let override {
            let directory = FileSystem.absolutePath(override)
            if holdsServerPrograms(directory) { return directory }
            lookedIn.append(directory)
        } else {
            for directory in candidateBinDirectories() {
                if holdsServerPrograms(directory) { return directory }
                if !lookedIn.contains(directory) { lookedIn.append(directory) }
            }
            if lookedIn.isEmpty { lookedIn.append("/usr/lib/postgresql/*/bin") }
        }
        throw EmbeddedPostgresError(
            code: .binariesNotFound,
            message: """
                PostgreSQL server binaries not found (looked in \(lookedIn.joined(separator: ", ")) for \
                \(requiredPrograms.joined(separator: ", "))). Install them with: apt-get install -y \(serverPackage)
                """)
    }

    /// Whether `directory` holds every program in ``requiredPrograms`` as an executable.
    static func holdsServerPrograms(_ directory: String) -> Bool {
        requiredPrograms.allSatisfy { FileManager.default.isExecutableFile(atPath: directory + "/" + $0) }
    }

    /// `pg_config --bindir` (when `pg_config` is on the `PATH`), then
    /// `/usr/lib/postgresql/*/bin` from the highest version down.
    static func candidateBinDirectories() -> [String] {
        var candidates: [String] = []
        if let pgConfig = findOnPath("pg_config"),
            let result = try? ProcessRunner().run(pgConfig, ["--bindir"], timeout: 30),
            result.succeeded
        {
            let directory = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            if !directory.isEmpty { candidates.append(FileSystem.absolutePath(directory)) }
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let versionKey = { (name: String) in name.split(separator: ".").map { Int($0) ?? -1 } }
        let ordered = versions.sorted { versionKey($1).lexicographicallyPrecedes(versionKey($0)) }
        candidates += ordered.map { "\(root)/\($0)/bin" }
        return candidates
    }

    /// The first executable named `program` in the `PATH` directories.
    static func findOnPath(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
