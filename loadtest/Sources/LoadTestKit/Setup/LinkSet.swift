import Foundation

/// The links a run sends requests to: created through the admin API (tagged with the run's
/// tag) or read from a code list file.
public struct LinkSet: Sendable {
    /// Short codes, in creation order (rank 1 of Zipf is the first).
    public var codes: [String]
    /// Their targets, by position.
    public var targets: [String]
    /// Admin API ids by position (empty for a code list).
    public var ids: [String]
    /// The admin client id the links belong to (`nil` for a code list).
    public var clientID: String?

    /// The run's tag: `loadtest-<runID>`.
    public static func tag(runID: String) -> String { "loadtest-\(runID)" }

    /// A run id: UTC time and four random characters, e.g. `20261122-081502-k3x9`.
    public static func makeRunID() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let suffix = String((0..<4).map { _ in alphabet.randomElement()! })
        return formatter.string(from: Date()) + "-" + suffix
    }

    /// The code of link `index` of a run: unique per run, valid everywhere (`[A-Za-z0-9_-]`).
    public static func code(runID: String, index: Int) -> String {
        "lt" + runID.replacingOccurrences(of: "-", with: "") + "-" + String(index, radix: 36)
    }

    /// Creates `count` links through the admin API, under a client of their own and tagged
    /// with the run's tag.
    /// - Parameters:
    ///   - count: how many links.
    ///   - runID: the run id (codes, tag and client name derive from it).
    ///   - admin: the admin API client.
    public static func create(count: Int, runID: String, admin: AdminClient) async throws -> LinkSet {
        let clientID = try await admin.createClient(name: "loadtest \(runID)")
        let tag = tag(runID: runID)
        let links = (0..<count).map { index in
            AdminClient.NewLink(
                shortCode: code(runID: runID, index: index),
                originalUrl: "https://example.com/loadtest/\(runID)/\(index)", tags: [tag])
        }
        let ids = try await admin.createLinks(links, clientID: clientID)
        return LinkSet(
            codes: links.map(\.shortCode), targets: links.map(\.originalUrl), ids: links.map { ids[$0.shortCode] ?? "" },
            clientID: clientID)
    }

    /// Creates a code list's links through the admin API under a client of the run, tagged
    /// with the run's tag; codes that exist already are left alone.
    /// - Returns: how many were created.
    public func createMissing(runID: String, admin: AdminClient) async throws -> Int {
        let clientID = try await admin.createClient(name: "loadtest \(runID)")
        let tag = Self.tag(runID: runID)
        let links = codes.indices.map { AdminClient.NewLink(shortCode: codes[$0], originalUrl: targets[$0], tags: [tag]) }
        return try await admin.createLinks(links, clientID: clientID, skipTaken: true).count
    }

    /// Reads a code list: one `CODE URL` per line (as `../shared/anchors/gen_codes.py` writes).
    /// - Parameter path: the file.
    public static func load(path: String) throws -> LinkSet {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LoadTestError(.badInput, "cannot read the code list \(path)")
        }
        var codes: [String] = []
        var targets: [String] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.isEmpty { continue }
            let code = String(fields[0])
            guard code.utf8.count <= 64, code.utf8.allSatisfy({ Self.isCodeByte($0) }) else {
                throw LoadTestError(.badInput, "\(path):\(number + 1): not a short code: \(code.prefix(80))")
            }
            codes.append(code)
            targets.append(fields.count > 1 ? String(fields[1]) : "")
        }
        guard !codes.isEmpty else { throw LoadTestError(.badInput, "the code list \(path) is empty") }
        return LinkSet(codes: codes, targets: targets, ids: [], clientID: nil)
    }

    private static func isCodeByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F
    }
}
