public import BotDetection
import Foundation

extension ClassifyOperation {
    /// The files an evaluation directory holds.
    public enum CorpusFile {
        /// Bot user agents, one per line.
        public static let bots = "bots.txt"
        /// People's user agents, one per line.
        public static let humans = "humans.txt"
        /// In-app browser user agents (people), one per line.
        public static let inAppHumans = "inapp_humans.txt"
        /// JSON lines with `user_agent`, `os`, `browser`, `device_type`.
        public static let labeled = "humans_labeled.jsonl"
    }

    /// A corpus read from disk.
    public struct Corpus: Sendable {
        /// Bot user agents.
        public var bots: [String]
        /// People's user agents.
        public var humans: [String]
        /// In-app browser user agents.
        public var inAppHumans: [String]
        /// Labeled user agents.
        public var labeled: [LabeledUserAgent]
    }

    private struct LabeledLine: Decodable {
        var user_agent: String
        var os: String?
        var browser: String?
        var device_type: String?
    }

    /// Reads the four corpus files of `directory`.
    /// - Parameter directory: a folder with ``CorpusFile``s.
    /// - Throws: ``AppError`` `.invalidInput` naming the missing folder, file or bad line.
    public func loadCorpus(directory: String) throws -> Corpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppError(code: .invalidInput, message: "\(directory): no such directory")
        }
        let decoder = JSONDecoder()
        let labeled = try numberedLines(directory, CorpusFile.labeled).map { number, line in
            do {
                let record = try decoder.decode(LabeledLine.self, from: Data(line.utf8))
                return LabeledUserAgent(
                    userAgent: record.user_agent, deviceType: record.device_type ?? "", os: record.os ?? "",
                    browser: record.browser ?? "")
            } catch {
                throw AppError(
                    code: .invalidInput,
                    message: "\(Self.path(directory, CorpusFile.labeled)):\(number): not a JSON object with user_agent, os, browser, device_type")
            }
        }
        return Corpus(
            bots: try lines(directory, CorpusFile.bots), humans: try lines(directory, CorpusFile.humans),
            inAppHumans: try lines(directory, CorpusFile.inAppHumans), labeled: labeled)
    }

    /// The non-blank lines of a corpus file with their line numbers (1-based).
    private func numberedLines(_ directory: String, _ name: String) throws -> [(number: Int, text: String)] {
        let path = Self.path(directory, name)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppError(
                code: .invalidInput,
                message:
                    "\(path): no such file (an evaluation folder holds \(CorpusFile.bots), \(CorpusFile.humans), \(CorpusFile.inAppHumans) and \(CorpusFile.labeled))"
            )
        }
        // Lines end in LF or CRLF ("\r\n" is one Character, so split on newlines, not on "\n").
        return String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated().compactMap { index, line in line.isEmpty ? nil : (index + 1, String(line)) }
    }

    private static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    private func lines(_ directory: String, _ name: String) throws -> [String] {
        try numberedLines(directory, name).map(\.text)
    }
}
