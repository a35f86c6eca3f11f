/// What a finished (or timed-out) subprocess left behind.
struct ProcessResult: Sendable {
    /// The command as a shell-like string, for messages.
    var commandLine: String
    /// The exit status, or the signal number when the process was killed by a signal.
    var exitCode: Int32
    /// Everything the process wrote to standard output.
    var standardOutput: String
    /// Everything the process wrote to standard error.
    var standardError: String
    /// Whether the process was killed because it ran past its time limit.
    var timedOut: Bool

    /// Whether the process exited with status 0 in time.
    var succeeded: Bool { exitCode == 0 && !timedOut }

    /// Standard output followed by standard error, trimmed to the last lines.
    var outputTail: String {
        let combined = [standardOutput, standardError]
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
        return LogTail.lines(of: combined)
    }

    /// A one-line summary like "`initdb …` exited with status 1".
    var failureSummary: String {
        timedOut
            ? "`\(commandLine)` did not finish in time and was killed"
            : "`\(commandLine)` exited with status \(exitCode)"
    }
}
