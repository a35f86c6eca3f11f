public import AdminAPI
import Foundation
public import LibPQ
import ShortLinkCore
import Storage

/// `shortlinks links import FILE.csv`: creates links from a CSV file under the same rules as
/// the API (``LinkService``), 1,000 rows per transaction, reporting progress as it goes.
///
/// The header names the columns (any order, case-insensitive): `originalUrl` (required),
/// `shortCode` (empty: generated), `client` (name) or `clientId`, `campaign` (name, of that
/// client) or `campaignId`, `tags` (separated by `|`), `redirectStatus`, `forwardQuery`
/// (`true`/`false`), `expiresAt` (RFC 3339). Rows that break a rule are reported with their
/// line and do not stop the others.
public struct LinkImportOperation: Sendable {
    /// What an import did.
    public struct Summary: Sendable {
        /// Data rows read.
        public var rows: Int
        /// Links created.
        public var created: Int
        /// One line per refused row: `line N: field: message`.
        public var failures: [String]
    }

    static let columns = [
        "originalurl", "shortcode", "client", "clientid", "campaign", "campaignid", "tags", "redirectstatus", "forwardquery", "expiresat",
    ]
    static let chunkSize = 1000

    let pool: PGPool
    let configuration: AdminConfiguration

    /// Creates the operation.
    /// - Parameters:
    ///   - pool: the (migrated) database.
    ///   - configuration: the API rules (public host, code length).
    public init(pool: PGPool, configuration: AdminConfiguration) {
        self.pool = pool
        self.configuration = configuration
    }

    /// Imports a file.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - ownerEmail: who owns the links; `nil`: the only user, if there is exactly one.
    ///   - progress: called after each chunk with (rows read, rows in all, links stored so
    ///     far); the rows read and not stored were refused.
    public func run(path: String, ownerEmail: String?, progress: @Sendable (Int, Int, Int) -> Void = { _, _, _ in }) async throws -> Summary {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AppError(code: .invalidInput, message: "cannot read \(path) as a UTF-8 text file")
        }
        let records = try CSVReader.parse(text)
        guard let header = records.first else { throw AppError(code: .invalidInput, message: "\(path) is empty: it needs a header line") }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let unknown = names.filter { !Self.columns.contains($0) }
        guard unknown.isEmpty else {
            throw AppError(
                code: .invalidInput,
                message: "\(path): unknown column(s) \(unknown.joined(separator: ", ")); "
                    + "known: originalUrl, shortCode, client, clientId, campaign, campaignId, tags, redirectStatus, forwardQuery, expiresAt")
        }
        guard names.contains("originalurl"), names.contains("client") || names.contains("clientid") else {
            throw AppError(code: .invalidInput, message: "\(path): the header needs originalUrl and client (or clientId)")
        }
        let owner = try await self.owner(email: ownerEmail)
        let rows = Array(records.dropFirst())
        let service = LinkService(database: Database(pool: pool), configuration: configuration)
        var resolver = NameResolver(clients: ClientRepository(pool: pool), campaigns: CampaignRepository(pool: pool))
        var summary = Summary(rows: rows.count, created: 0, failures: [])
        var done = 0
        for start in stride(from: 0, to: rows.count, by: Self.chunkSize) {
            let chunk = rows[start..<min(start + Self.chunkSize, rows.count)]
            var drafts: [(draft: LinkDraft, path: String)] = []
            let refusedBefore = summary.failures.count
            for record in chunk {
                do {
                    drafts.append((try await draft(record, names: names, resolver: &resolver), "line \(record.line)"))
                } catch let error as AppError {
                    summary.failures.append("line \(record.line): \(error.message)")
                }
            }
            let outcomes: [LinkOutcome]
            do {
                outcomes = try await service.createEach(drafts, owner: owner, atomic: false).outcomes
            } catch {
                // The chunk's transaction failed as a whole (the database went away, or refused
                // the commit): nothing of it is stored, the chunks before it are.
                let first = chunk.first?.line ?? 0
                throw AppError(
                    code: .databaseUnavailable,
                    message: "lines \(first)–\(chunk.last?.line ?? 0) could not be stored: \(Self.cause(error)). "
                        + "Before line \(first): \(summary.created) links stored, \(refusedBefore) rows refused; "
                        + "fix the cause and import the rest from line \(first)")
            }
            for (outcome, item) in zip(outcomes, drafts) {
                switch outcome {
                case .created: summary.created += 1
                case .failed(let error):
                    let prefix = item.path + "."
                    let details =
                        error.errors.isEmpty
                        ? error.detail
                        : error.errors.map { ($0.field.hasPrefix(prefix) ? String($0.field.dropFirst(prefix.count)) : $0.field) + ": " + $0.message }
                            .joined(separator: "; ")
                    summary.failures.append("\(item.path): \(details)")
                case .skipped: break
                }
            }
            done += chunk.count
            progress(done, rows.count, summary.created)
        }
        summary.failures.sort { Self.lineNumber($0) < Self.lineNumber($1) }
        return summary
    }

    private func draft(_ record: CSVReader.Record, names: [String], resolver: inout NameResolver) async throws -> LinkDraft {
        var values: [String: String] = [:]
        for (index, name) in names.enumerated() where index < record.fields.count {
            let value = record.fields[index].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[name] = value }
        }
        guard record.fields.count <= names.count else {
            throw AppError(code: .invalidInput, message: "has \(record.fields.count) fields, the header \(names.count)")
        }
        guard let url = values["originalurl"] else { throw AppError(code: .invalidInput, message: "originalUrl: is required") }
        let clientID: String
        if let id = values["clientid"] {
            clientID = id
        } else if let name = values["client"] {
            guard let id = try await resolver.client(named: name) else {
                throw AppError(code: .invalidInput, message: "client: no client is named '\(name)'")
            }
            clientID = id.description
        } else {
            throw AppError(code: .invalidInput, message: "client: is required")
        }
        var campaignID = values["campaignid"]
        if campaignID == nil, let name = values["campaign"] {
            guard let client = EntityID(clientID), let id = try await resolver.campaign(named: name, client: client) else {
                throw AppError(code: .invalidInput, message: "campaign: the client has no campaign named '\(name)'")
            }
            campaignID = id.description
        }
        var redirectStatus: Int?
        if let text = values["redirectstatus"] {
            guard let status = Int(text) else { throw AppError(code: .invalidInput, message: "redirectStatus: must be 301, 302, 307 or 308") }
            redirectStatus = status
        }
        var forwardQuery: Bool?
        if let text = values["forwardquery"]?.lowercased() {
            switch text {
            case "true", "yes", "1": forwardQuery = true
            case "false", "no", "0": forwardQuery = false
            default: throw AppError(code: .invalidInput, message: "forwardQuery: must be true or false")
            }
        }
        let tags = values["tags"].map { $0.split(separator: "|").map(String.init) } ?? []
        return LinkDraft(
            shortCode: values["shortcode"], originalURL: url, clientID: clientID, campaignID: campaignID, tags: tags,
            redirectStatus: redirectStatus, forwardQuery: forwardQuery, expiresAt: values["expiresat"])
    }

    private func owner(email: String?) async throws -> EntityID {
        if let email { return try await StaffOperations(pool: pool).user(email: email).id }
        let users = try await UserRepository(pool: pool).list()
        guard users.count == 1 else {
            throw AppError(code: .invalidInput, message: "pass --email to say who owns the imported links (there are \(users.count) users)")
        }
        return users[0].id
    }

    /// What the database said, for the operator: a `StorageError`'s description carries the
    /// SQLSTATE and the server's message, never the connection URL or a parameter value.
    static func cause(_ error: any Error) -> String {
        switch error {
        case let error as StorageError: error.description
        case let error as PGError: error.description
        case let error as APIError: error.detail
        default: String(describing: type(of: error))
        }
    }

    static func lineNumber(_ failure: String) -> Int {
        Int(failure.dropFirst(5).prefix { $0.isNumber }) ?? 0
    }
}
