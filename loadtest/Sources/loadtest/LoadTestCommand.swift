import ArgumentParser
import Foundation
import LoadTestKit

/// `loadtest`: the bundled load-test harness for shortlinks.
@main
struct LoadTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loadtest",
        abstract: "Load-test a shortlinks edge (or any redirect server): throughput, latency percentiles, and proof that no click was lost.",
        discussion: """
            Exit status: 0 all good; 1 --verify found lost, duplicated or misclassified clicks; \
            3 the run could not start (bad input, unreachable target, admin API or database error); \
            4 churn saw coherence violations; 64 bad command line.
            See loadtest/README.md.
            """,
        subcommands: [RedirectCommand.self, MixedCommand.self, ChurnCommand.self, VerifyCommand.self])
}

/// Exit statuses (documented in the command's help and loadtest/README.md).
enum ExitStatus {
    static let verifyFailed: Int32 = 1
    static let cannotRun: Int32 = 3
    static let coherenceViolations: Int32 = 4
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data(("loadtest: " + text + "\n").utf8))
}
