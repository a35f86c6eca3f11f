import Foundation
import ShortLinkTesting
import Spawn
import Testing

/// The real `shortlinks serve` executable (debug build) as a child process, with the test
/// database, the generated mmdb and its own spool directory.
final class ServedBinary: @unchecked Sendable {
    let process: SpawnedProcess
    let port: Int
    /// The edge's metrics listener (role edge), when its line was logged.
    private(set) var metricsPort: Int?
    /// The admin listener (role all/admin), when its line was logged.
    private(set) var adminPort: Int?
    private let errors: SpawnPipe
    private(set) var log = ""
    /// How the process ended, once ``stop(with:)`` has returned.
    private(set) var termination: Termination?

    static var executable: URL { ChildProcess.shortlinksExecutable }

    /// - Parameters:
    ///   - role: the `--role`; default edge.
    ///   - fileDescriptorLimit: when set, the binary runs under `ulimit -n` of this (soft and hard).
    init(
        databaseURL: String, spool: String, extraEnvironment: [String: String] = [:], role: String = "edge",
        fileDescriptorLimit: Int? = nil
    ) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the shortlinks product first")
        let executable: String
        let arguments: [String]
        if let fileDescriptorLimit {
            executable = "/bin/sh"
            arguments = ["-c", "ulimit -n \(fileDescriptorLimit) && exec \"$0\" \"$@\"", Self.executable.path, "serve", "--role", role]
        } else {
            executable = Self.executable.path
            arguments = ["serve", "--role", role]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["SHORTLINKS_EDGE_ADDR"] = "127.0.0.1:0"
        environment["SHORTLINKS_EDGE_METRICS_ADDR"] = "127.0.0.1:0"
        environment["SHORTLINKS_ADMIN_ADDR"] = "127.0.0.1:0"
        environment["SHORTLINKS_MIGRATIONS_DIRECTORY"] = TestPostgres.migrationsDirectory
        environment["SHORTLINKS_GEOIP_DB"] = TestGeoIP.cityDatabasePath
        environment["SHORTLINKS_CLICKS_SPOOL_DIR"] = spool
        // The suites beside it load the CPUs: without this the writer would hold back.
        environment["SHORTLINKS_CLICKS_YIELD_TO_EDGE"] = "false"
        environment.merge(extraEnvironment) { $1 }
        errors = try SpawnPipe()
        process = try SpawnedProcess(
            executable: executable, arguments: arguments, environment: environment, standardOutput: .null,
            standardError: .descriptor(errors.writeEnd))
        Descriptor.close(errors.writeEnd)
        // The port is in the "edge listening" log line.
        var found: Int?
        var metrics: Int?
        var admin: Int?
        var text = ""
        let deadline = ContinuousClock.now + .seconds(60)
        // Role edge logs the metrics listener right after the edge; role all/admin the admin listener.
        func done() -> Bool {
            guard role != "admin" else { return admin != nil }
            return found != nil && (role == "edge" ? metrics != nil : admin != nil)
        }
        while !done(), ContinuousClock.now < deadline, process.isRunning {
            guard let chunk = Descriptor.read(errors.readEnd, timeout: .milliseconds(200)) else { break }
            text += String(decoding: chunk, as: UTF8.self)
            found = Self.port(in: text, after: #"address=127\.0\.0\.1:"#)
            metrics = Self.port(in: text, after: #"metrics=127\.0\.0\.1:"#)
            admin = Self.port(in: text, after: #"listening on 127\.0\.0\.1:"#)
        }
        log = text
        metricsPort = metrics
        adminPort = admin
        if role == "admin" { found = admin }
        if found == nil { process.send(SIGTERM) }
        port = try #require(found, "no listening line in: \(log)")
    }

    private static func port(in log: String, after prefix: String) -> Int? {
        guard let range = log.range(of: prefix + #"(\d+)"#, options: .regularExpression) else { return nil }
        return Int(log[range].split(separator: ":").last ?? "")
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// Starts the binary from a thread-pool thread (waiting for it blocks).
    static func start(databaseURL: String, spool: String) async throws -> ServedBinary {
        try await offload { try ServedBinary(databaseURL: databaseURL, spool: spool) }
    }

    /// Sends `signal` and waits for the exit (on a thread-pool thread).
    func stop(with signal: Int32) async throws {
        try await offload {
            self.process.send(signal)
            self.termination = self.process.wait()
            self.log += String(decoding: Descriptor.readToEnd(self.errors.readEnd), as: UTF8.self)
        }
    }

    deinit {
        // Never blocks here (deinit may run on a cooperative thread); the exit is not awaited.
        process.send(SIGTERM)
        Descriptor.close(errors.readEnd)
    }
}
