import Foundation

/// Finds the `Migrations/` folder: the configured path, else `./Migrations`, else a
/// `Migrations/` beside the executable or in one of its parent folders (so
/// `.build/release/shortlinks` finds the checkout's folder, and an installed binary finds
/// the folder shipped next to it).
public enum MigrationsLocator {
    /// The folder to use.
    /// - Parameter configured: `migrations.directory` from the configuration, if set.
    /// - Throws: ``AppError`` `.migrationsNotFound` naming the places it looked.
    public static func resolve(configured: String?) throws -> String {
        if let configured { return configured }
        var candidates = [FileManager.default.currentDirectoryPath + "/Migrations"]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("Migrations").path)
            folder.deleteLastPathComponent()
        }
        var isDirectory: ObjCBool = false
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) && isDirectory.boolValue {
            return candidate
        }
        throw AppError(
            code: .migrationsNotFound,
            message: "no Migrations/ folder found (looked in \(candidates.joined(separator: ", "))); set SHORTLINKS_MIGRATIONS_DIRECTORY")
    }
}

/// A startup or command failure with a message for the operator.
public struct AppError: Error, CustomStringConvertible, Sendable {
    /// Stable classification.
    public enum Code: String, Sendable {
        /// The migrations folder could not be found.
        case migrationsNotFound
        /// The database could not be reached or prepared.
        case databaseUnavailable
        /// Input given on the command line is invalid.
        case invalidInput
        /// A configuration value (environment or Config/shortlinks.json) is invalid.
        case invalidConfiguration
    }

    /// The classification.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
