public import LibPQ
import Storage

/// The operator commands behind the CLI, with their output as text, so the `shortlinks`
/// executable stays a thin argument parser over this module.
public struct Operations: Sendable {
    let bootstrap: DatabaseBootstrap

    /// Creates the operations.
    /// - Parameter bootstrap: resolves the database.
    public init(bootstrap: DatabaseBootstrap) { self.bootstrap = bootstrap }

    /// Applies pending migrations.
    /// - Returns: one line per applied migration and a summary line.
    public func migrate() async throws -> [String] {
        try await withPool { pool in
            let applied = try await bootstrap.migrator(pool: pool).migrate()
            return applied.map { "applied  \($0.name)" }
                + [applied.isEmpty ? "database is up to date" : "applied \(applied.count) migration(s)"]
        }
    }

    /// Lists every migration with its state.
    /// - Returns: one line per migration and a summary line; `pending` counts the pending
    ///   ones; `problems` has one sentence per migration that `migrate` would refuse (a file
    ///   edited after it was applied, or an applied migration whose file is gone), saying
    ///   which and what to do.
    public func migrationStatus() async throws -> (lines: [String], pending: Int, problems: [String]) {
        try await withPool { pool in
            let directory = try MigrationsLocator.resolve(configured: bootstrap.configuration.migrationsDirectory)
            let states = try await Migrator(pool: pool, directory: directory, logger: bootstrap.logger).status()
            var lines: [String] = []
            var problems: [String] = []
            for state in states {
                let label: String
                switch state.state {
                case .applied(let at): label = "applied  \(at)"
                case .pending: label = "pending  \(String(repeating: " ", count: 20))"
                case .modified:
                    label = "MODIFIED \(String(repeating: " ", count: 20))"
                    problems.append(
                        "\(directory)/\(state.name).sql was edited after it was applied (its checksum no longer matches schema_migrations): "
                            + "restore the applied text (e.g. with git checkout) and put the change "
                            + "in a new migration")
                case .unknownToThisBuild:
                    label = "UNKNOWN  \(String(repeating: " ", count: 20))"
                    problems.append(
                        "\(state.name) is applied in the database but has no file in \(directory): "
                            + "run a build that has it, or restore \(state.name).sql to \(directory)")
                }
                lines.append("\(label)  \(state.name)")
            }
            let pending = states.filter { $0.state == .pending }.count
            lines.append(
                "\(states.count - pending) applied, \(pending) pending"
                    + (problems.isEmpty ? "" : ", \(problems.count) MODIFIED or UNKNOWN"))
            return (lines, pending, problems)
        }
    }

    /// Migrates, then loads the demo data (idempotent).
    /// - Returns: lines describing what was seeded.
    public func seedDemo() async throws -> [String] {
        try await withPool { pool in
            try await bootstrap.migrator(pool: pool).migrate()
            let report = try await DemoSeeder(pool: pool).seed()
            return [report.created ? "seeded demo data for \(report.userEmail):" : "demo data already present for \(report.userEmail):"]
                + report.links.map { "  /\($0.code) -> \($0.target)  [\($0.tags.joined(separator: ", "))]" }
        }
    }

    /// Opens a pool, applies pending migrations, runs `body`, and closes the pool.
    /// - Parameter body: the work (staff, token and import commands).
    public func withMigratedPool<T>(_ body: (PGPool) async throws -> T) async throws -> T {
        try await withPool { pool in
            try await bootstrap.migrator(pool: pool).migrate()
            return try await body(pool)
        }
    }

    private func withPool<T>(_ body: (PGPool) async throws -> T) async throws -> T {
        let pool = try await bootstrap.makePool()
        do {
            let value = try await body(pool)
            await pool.shutdown()
            return value
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
