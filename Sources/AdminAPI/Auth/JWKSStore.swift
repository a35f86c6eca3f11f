import Foundation
import JWTKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The OIDC signing keys, loaded from a JWKS file or URL and kept for `refreshSeconds`.
/// A token signed with a key the set does not have forces a reload, at most once per
/// ``minimumForcedInterval``, so a provider's key rotation is picked up without a restart
/// and garbage tokens cannot make us hammer the provider.
actor JWKSStore {
    static let minimumForcedInterval: Duration = .seconds(30)

    let source: OIDCConfiguration.KeySource
    let refresh: Duration
    private var keys: JWTKeyCollection?
    private var loadedAt: ContinuousClock.Instant?

    init(source: OIDCConfiguration.KeySource, refreshSeconds: Double) {
        self.source = source
        refresh = .milliseconds(Int64(refreshSeconds * 1000))
    }

    /// The current key set, loading it when missing or stale.
    /// - Parameter force: reload unless the last load was very recent.
    func collection(force: Bool = false) async throws -> JWTKeyCollection {
        let now = ContinuousClock.now
        if let keys, let loadedAt {
            let age = now - loadedAt
            if age < refresh && (!force || age < Self.minimumForcedInterval) { return keys }
        }
        let json = try await Self.load(source)
        let collection = JWTKeyCollection()
        try await collection.add(jwksJSON: json)
        keys = collection
        loadedAt = now
        return collection
    }

    static func load(_ source: OIDCConfiguration.KeySource) async throws -> String {
        switch source {
        case .file(let path):
            return try String(contentsOfFile: path, encoding: .utf8)
        case .url(let text):
            guard let url = URL(string: text) else { throw APIError(.internal, "auth.oidc.jwksUrl is not a URL") }
            var request = URLRequest(url: url)
            request.timeoutInterval = 10
            let (data, response) = try await URLSession.shared.data(for: request)
            if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                throw APIError(.unavailable, "the JWKS endpoint answered \(http.statusCode)")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
