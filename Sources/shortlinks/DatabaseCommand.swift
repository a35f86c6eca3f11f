import ArgumentParser
import EmbeddedPostgres
import ShortLinkApp

struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded Postgres cluster (.data/postgres), used when DATABASE_URL is not set.",
        subcommands: [Start.self, Stop.self, Status.self, URL.self])

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Initialise (first time) and start the cluster; does nothing if it runs.")
        func run() async throws {
            let context = try await CommandContext.make(label: "db")
            let embedded = context.bootstrap.embedded
            let outcome = try embedded.start()
            switch outcome {
            case .initializedAndStarted: print("initialised and started embedded postgres in \(embedded.configuration.dataDirectory)")
            case .started: print("started embedded postgres in \(embedded.configuration.dataDirectory)")
            case .alreadyRunning: print("embedded postgres already running in \(embedded.configuration.dataDirectory)")
            }
            print(embedded.connectionURL)
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the cluster (fast shutdown); does nothing if it is stopped.")
        func run() async throws {
            let context = try await CommandContext.make(label: "db")
            try context.bootstrap.embedded.stop()
            print("embedded postgres stopped")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print whether the cluster is running. Exit status 0 running, 3 stopped, 4 not initialised.")
        func run() async throws {
            let context = try await CommandContext.make(label: "db")
            let embedded = context.bootstrap.embedded
            switch try embedded.status() {
            case .running(let pid):
                print("running (pid \(pid)) in \(embedded.configuration.dataDirectory)")
            case .stopped:
                print("stopped (\(embedded.configuration.dataDirectory))")
                throw ExitCode(3)
            case .notInitialized:
                print("not initialised (\(embedded.configuration.dataDirectory)); run `shortlinks db start`")
                throw ExitCode(4)
            }
        }
    }

    struct URL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the cluster's connection URL as the last line of stdout.")
        func run() async throws {
            let context = try await CommandContext.make(label: "db")
            print(context.bootstrap.embedded.connectionURL)
        }
    }
}
