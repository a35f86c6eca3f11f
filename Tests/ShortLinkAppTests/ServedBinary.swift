import Foundation
import ShortLinkTesting
import Testing

/// The real `shortlinks serve` executable (debug build) as a child process, with the test
/// database, the generated mmdb and its own spool directory.
final class ServedBinary: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let errors = Pipe()
    private(set) var log = ""

    static var executable: URL { ChildProcess.shortlinksExecutable }

    init(databaseURL: String, spool: String, extraEnvironment: [String: String] = [:]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build the shortlinks product first")
        process.executableURL = Self.executable
        process.arguments = ["serve", "--role", "edge"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = databaseURL
        environment["SHORTLINKS_EDGE_ADDR"] = "127.0.0.1:0"
        environment["SHORTLINKS_MIGRATIONS_DIRECTORY"] = TestPostgres.migrationsDirectory
        environment["SHORTLINKS_GEOIP_DB"] = TestGeoIP.cityDatabasePath
        environment["SHORTLINKS_CLICKS_SPOOL_DIR"] = spool
        // The suites beside it load the CPUs: without this the writer would hold back.
        environment["SHORTLINKS_CLICKS_YIELD_TO_EDGE"] = "false"
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The port is in the "edge listening" log line.
        var found: Int?
        let deadline = ContinuousClock.now + .seconds(60)
        while found == nil, ContinuousClock.now < deadline, process.isRunning {
            let chunk = errors.fileHandleForReading.availableData
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: #"address=127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(log[range].split(separator: ":").last ?? "")
            }
        }
        if found == nil, process.isRunning { process.terminate() }
        port = try #require(found, "no listening line in: \(log)")
    }

    /// Starts the binary from a thread-pool thread (waiting for it blocks).
    static func start(databaseURL: String, spool: String) async throws -> ServedBinary {
        try await offload { try ServedBinary(databaseURL: databaseURL, spool: spool) }
    }

    /// Sends `signal` and waits for the exit (on a thread-pool thread).
    func stop(with signal: Int32) async throws {
        try await offload {
            kill(self.process.processIdentifier, signal)
            self.process.waitUntilExit()
            self.log += String(decoding: self.errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
