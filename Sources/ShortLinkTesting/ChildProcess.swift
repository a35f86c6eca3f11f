public import Foundation
import NIOPosix
import Spawn

/// Runs an executable to completion and collects what it printed.
public enum ChildProcess {
    /// The outcome of one run.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String
    }

    /// The debug build of `shortlinks`, next to the package.
    public static var shortlinksExecutable: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/shortlinks")
    }

    /// Runs `executable` on a thread-pool thread (waiting for a child must not hold one of
    /// the cooperative threads other tests' services run on).
    /// - Parameters:
    ///   - executable: the program.
    ///   - arguments: its arguments.
    ///   - environment: variables added to this process's environment.
    ///   - directory: the working directory; default this process's.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil
    ) async throws -> Result {
        try await NIOThreadPool.singleton.runIfActive {
            let output = try SpawnedProcess.run(
                executable.path, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                directory: directory?.path)
            return Result(
                status: output.status, stdout: String(decoding: output.standardOutput, as: UTF8.self),
                stderr: String(decoding: output.standardError, as: UTF8.self))
        }
    }
}
