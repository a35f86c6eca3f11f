import Foundation
import NIOCore
import NIOPosix

/// The few admin API calls the harness makes (create a client, bulk-create links, create and
/// change one link), with the bearer token from `SHORTLINKS_ADMIN_TOKEN`.
public struct AdminClient: Sendable {
    /// The admin listener, e.g. `http://127.0.0.1:8081`.
    public let baseURL: String
    private let base: BaseURL?
    private let token: String

    /// - Parameters:
    ///   - baseURL: the admin listener's URL (no trailing `/api/v1`).
    ///   - token: an API token (never printed).
    public init(baseURL: String, token: String) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.token = token
        base = BaseURL(trimmed)
    }

    /// A link to create.
    public struct NewLink: Sendable {
        /// The code.
        public var shortCode: String
        /// The target.
        public var originalUrl: String
        /// Tag names.
        public var tags: [String]
        /// - Parameters: see the properties.
        public init(shortCode: String, originalUrl: String, tags: [String]) {
            self.shortCode = shortCode
            self.originalUrl = originalUrl
            self.tags = tags
        }
    }

    /// Creates a client and returns its id.
    public func createClient(name: String) async throws -> String {
        let object = try await send("POST", "/api/v1/clients", ["name": name], expect: [201, 200])
        guard let id = object["id"] as? String else { throw LoadTestError(.adminAPI, "POST /api/v1/clients: no id in the answer") }
        return id
    }

    /// Creates links in requests of up to 1,000 (the bulk endpoint); returns code → link id.
    /// - Parameters:
    ///   - links: the links.
    ///   - clientID: their client.
    ///   - skipTaken: a code that already exists (409 `short_code_taken`) is left as it is
    ///     instead of failing the call (it gets no id in the answer).
    /// - Throws: when any item is refused (its problem is named).
    public func createLinks(_ links: [NewLink], clientID: String, skipTaken: Bool = false) async throws -> [String: String] {
        var ids: [String: String] = [:]
        var start = 0
        while start < links.count {
            let chunk = links[start..<min(start + 1000, links.count)]
            let body: [String: Any] = [
                "atomic": !skipTaken,
                "links": chunk.map { ["shortCode": $0.shortCode, "originalUrl": $0.originalUrl, "clientId": clientID, "tags": $0.tags] },
            ]
            let object = try await send("POST", "/api/v1/links/bulk", body, expect: [200])
            let results = object["results"] as? [[String: Any]] ?? []
            for result in results {
                guard result["result"] as? String == "created", let link = result["link"] as? [String: Any],
                    let code = link["shortCode"] as? String, let id = link["id"] as? String
                else {
                    if skipTaken, result["status"] as? Int == 409 { continue }
                    let problem = (result["error"] as? [String: Any])?["detail"] as? String ?? "\(result["result"] ?? "?")"
                    throw LoadTestError(.adminAPI, "bulk link creation refused an item: \(problem)")
                }
                ids[code] = id
            }
            start += chunk.count
        }
        return ids
    }

    /// Creates one link; returns its id.
    public func createLink(_ link: NewLink, clientID: String) async throws -> String {
        let body: [String: Any] = ["shortCode": link.shortCode, "originalUrl": link.originalUrl, "clientId": clientID, "tags": link.tags]
        let object = try await send("POST", "/api/v1/links", body, expect: [201])
        guard let id = object["id"] as? String else { throw LoadTestError(.adminAPI, "POST /api/v1/links: no id in the answer") }
        return id
    }

    /// Changes a link's target.
    public func changeTarget(linkID: String, to url: String) async throws {
        _ = try await send("PATCH", "/api/v1/links/\(linkID)", ["originalUrl": url], expect: [200])
    }

    private func send(_ method: String, _ path: String, _ body: [String: Any], expect: Set<Int>) async throws -> [String: Any] {
        guard let base else { throw LoadTestError(.badInput, "the admin URL must be http://host[:port], not \(baseURL)") }
        let payload = try JSONSerialization.data(withJSONObject: body)
        let response: OneShotHTTP.Response
        do {
            response = try await OneShotHTTP.send(
                method, path, base: base, headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array(payload), group: MultiThreadedEventLoopGroup.singleton)
        } catch {
            throw LoadTestError(.unreachable, "admin API at \(baseURL) did not answer \(method) \(path): \(error)")
        }
        guard expect.contains(response.status) else {
            let text = String(decoding: response.body.prefix(400), as: UTF8.self)
            throw LoadTestError(.adminAPI, "admin API \(method) \(path) answered \(response.status): \(text)")
        }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }
}
