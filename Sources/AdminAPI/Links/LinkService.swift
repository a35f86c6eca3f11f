public import ShortLinkCore
public import Storage

/// Creating links under the API's rules, for the HTTP routes and the CSV import alike.
public struct LinkService: Sendable {
    let links: LinkRepository
    let validator: LinkDraftValidator
    let generator: ShortCodeGenerator

    /// Creates the service.
    /// - Parameters:
    ///   - database: where links are stored.
    ///   - configuration: the public base URL and listen hosts (links may not point at this
    ///     service), code length, tags per link.
    public init(database: Database, configuration: AdminConfiguration) {
        links = database.links
        generator = ShortCodeGenerator(length: configuration.codeLength)
        let selfHosts = SelfHosts.current(
            publicHost: configuration.publicHost, listenHosts: [configuration.edgeListenHost, configuration.host])
        validator = LinkDraftValidator(
            urlRules: TargetURLRules(selfHosts: selfHosts), generator: generator, maxTags: configuration.maxTagsPerLink)
    }

    /// Validates and creates one link; a generated code is redrawn on collision.
    /// - Parameters:
    ///   - draft: the request.
    ///   - owner: the owning staff member.
    public func create(_ draft: LinkDraft, owner: EntityID) async throws -> Link {
        let (link, generated) = try validator.validate(draft, owner: owner, path: "").get()
        let generator = self.generator
        let regenerate: (@Sendable () -> ShortCode)? = generated ? { @Sendable in generator.next() } : nil
        do {
            return try await links.create(link, regenerateCode: regenerate)
        } catch {
            throw StorageErrorMapping.map(error)
        }
    }

    /// Validates every draft and creates the valid ones in one transaction (each in a savepoint).
    /// - Parameters:
    ///   - drafts: the requests, with their paths for error messages (`links[3]`, `line 7`).
    ///   - owner: the owning staff member.
    ///   - atomic: create all or none.
    /// - Returns: one outcome per draft, in order, and whether anything was committed.
    public func createEach(_ drafts: [(draft: LinkDraft, path: String)], owner: EntityID, atomic: Bool) async throws
        -> (outcomes: [LinkOutcome], committed: Bool)
    {
        let now = Timestamp.now()
        let checked = drafts.map { validator.validate($0.draft, owner: owner, path: $0.path, now: now) }
        let valid = checked.compactMap { try? $0.get() }
        if atomic, valid.count < checked.count {
            return (checked.map { if case .failure(let error) = $0 { .failed(error) } else { .skipped } }, false)
        }
        let generator = self.generator
        var results: [Result<Link, any Error>]
        var committed = true
        do {
            results = try await links.createEach(valid.map { ($0.0, $0.1) }, regenerateCode: { generator.next() }, atomic: atomic)
        } catch let rolledBack as LinkBatchRolledBack {
            results = rolledBack.results
            committed = false
        } catch {
            throw StorageErrorMapping.map(error)
        }
        var outcomes: [LinkOutcome] = []
        var next = results.makeIterator()
        for (index, item) in checked.enumerated() {
            switch item {
            case .failure(let error): outcomes.append(.failed(error))
            case .success:
                switch next.next() {
                case .success(let link): outcomes.append(committed ? .created(link) : .skipped)
                case .failure(let error):
                    let mapped = StorageErrorMapping.map(error, path: drafts[index].path)
                    outcomes.append(.failed(mapped as? APIError ?? Self.notStored(mapped)))
                case nil: outcomes.append(.failed(APIError(.internal, "the link could not be stored")))
                }
            }
        }
        return (outcomes, committed && !results.isEmpty)
    }

    /// A row the database refused for a reason no rule maps (a trigger, a full disk…), with
    /// the cause: a ``Storage/StorageError``'s description is the SQLSTATE and the server's
    /// message, never a parameter value or the connection URL. A database that cannot be used
    /// now is a 503, as for a single link.
    static func notStored(_ error: any Error) -> APIError {
        guard let error = error as? StorageError else { return APIError(.internal, "the link could not be stored") }
        if error.isUnavailable { return APIError(.databaseUnavailable, "the database is unavailable; retry later") }
        return APIError(.internal, "the link could not be stored: \(error.description)")
    }
}
