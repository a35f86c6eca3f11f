import LibPQ
public import ShortLinkCore

extension LinkRepository {
    /// Inserts a link; when its code was generated, a collision draws a new code and tries
    /// again (up to `attempts` times) instead of failing.
    /// - Parameters:
    ///   - link: the new link.
    ///   - regenerateCode: draws a new random code; `nil` when the code was chosen by the user
    ///     (a collision is then ``StorageError/Code/shortCodeTaken``).
    ///   - attempts: how many codes to try; default 8.
    public func create(
        _ link: NewLink, regenerateCode: (@Sendable () -> ShortCode)?, attempts: Int = 8
    ) async throws -> Link {
        let tags = try Names.normalizedTags(link.tags)
        var link = link
        link.tags = tags
        let item = link
        return try await pool.transaction { connection in
            try Self.insertRetrying(item, regenerateCode: regenerateCode, attempts: attempts, on: connection)
        }
    }

    /// Creates many links in one transaction, each in its own savepoint, and reports each
    /// item's outcome in input order.
    ///
    /// With `atomic` false the items that succeed are committed even when others fail; with
    /// `atomic` true a single failure rolls everything back (``LinkBatchRolledBack`` carries the
    /// outcomes, with the successful items as they would have been). An item's failure is a
    /// ``StorageError`` or the ``ShortLinkCore/ValidationError`` of its tags.
    /// - Parameters:
    ///   - items: each link and whether its code was generated (and may be redrawn on collision).
    ///   - regenerateCode: draws a new random code.
    ///   - atomic: all or nothing.
    public func createEach(
        _ items: [(link: NewLink, generatedCode: Bool)], regenerateCode: @escaping @Sendable () -> ShortCode,
        atomic: Bool
    ) async throws -> [Result<Link, any Error>] {
        let prepared: [Result<(NewLink, Bool), any Error>] = items.map { item in
            Result {
                var link = item.link
                link.tags = try Names.normalizedTags(link.tags)
                return (link, item.generatedCode)
            }
        }
        return try await pool.transaction { connection in
            var results: [Result<Link, any Error>] = []
            results.reserveCapacity(prepared.count)
            for item in prepared {
                switch item {
                case .failure(let error):
                    results.append(.failure(error))
                case .success(let (link, generated)):
                    results.append(
                        Result {
                            try connection.transaction { connection in
                                try Self.insertRetrying(
                                    link, regenerateCode: generated ? regenerateCode : nil, attempts: 8, on: connection)
                            }
                        }.mapError(StorageError.translate))
                }
            }
            if atomic, results.contains(where: { if case .failure = $0 { true } else { false } }) {
                throw LinkBatchRolledBack(results: results)
            }
            return results
        }
    }

    static func insertRetrying(
        _ link: NewLink, regenerateCode: (@Sendable () -> ShortCode)?, attempts: Int, on connection: PGConnection
    ) throws -> Link {
        var link = link
        var remaining = max(1, attempts)
        while true {
            do {
                let candidate = link
                return try connection.transaction { connection in
                    let id = try insert(candidate, on: connection)
                    try TagRepository.replaceTags(of: id, with: candidate.tags, on: connection)
                    return try fetch(id, on: connection)!
                }
            } catch let error as PGError
                where error.code == .uniqueViolation && error.constraint == "links_short_code_key"
            {
                remaining -= 1
                guard let regenerateCode, remaining > 0 else { throw error }
                link.shortCode = regenerateCode()
            }
        }
    }
}
