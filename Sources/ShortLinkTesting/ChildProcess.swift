public import Foundation
import NIOPosix
import Synchronization

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
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            if let directory { process.currentDirectoryURL = directory }
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            // Drain both pipes before waiting, so a chatty child never blocks on a full pipe.
            let stderrData = Mutex(Data())
            let stderrRead = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                stderrData.withLock { $0 = errors.fileHandleForReading.readDataToEndOfFile() }
                stderrRead.signal()
            }
            let stdout = output.fileHandleForReading.readDataToEndOfFile()
            stderrRead.wait()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                stderr: String(decoding: stderrData.withLock { $0 }, as: UTF8.self))
        }
    }
}
