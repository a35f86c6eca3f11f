public import BotDetection
import Foundation

/// Reads bot rules from a JSON file in the format of `Config/bot-rules.json`.
public enum BotRulesFile {
    /// The conventional location, relative to the working directory.
    public static let defaultPath = "Config/bot-rules.json"

    /// Decodes the rules in `path`.
    /// - Parameter path: a JSON file with `version` and the rule lists.
    /// - Throws: ``AppError`` `.invalidInput` when the file is missing or not valid rules.
    public static func load(path: String) throws -> BotRules {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError(code: .invalidInput, message: "\(path): no such file")
        }
        do {
            return try JSONDecoder().decode(BotRules.self, from: data)
        } catch {
            throw AppError(code: .invalidInput, message: "\(path): not valid bot rules (\(error))")
        }
    }
}
