import ShortLinkCore
import Storage

// The JSON shapes of the API's resources (camelCase, times as RFC 3339 UTC with
// microseconds, ids as lowercase UUIDs). The OpenAPI document describes the same shapes.

extension User {
    var json: JSONValue {
        [
            "id": .string(id.description), "email": .string(email), "name": .string(name),
            "avatarUrl": .optional(avatarURL), "createdAt": .string(createdAt.iso8601),
            "updatedAt": .string(updatedAt.iso8601),
        ]
    }
}

extension Client {
    var json: JSONValue {
        ["id": .string(id.description), "name": .string(name), "createdAt": .string(createdAt.iso8601), "updatedAt": .string(updatedAt.iso8601)]
    }
}

extension Campaign {
    var json: JSONValue {
        [
            "id": .string(id.description), "clientId": .string(clientID.description), "name": .string(name),
            "createdAt": .string(createdAt.iso8601), "updatedAt": .string(updatedAt.iso8601),
        ]
    }
}

extension Tag {
    var json: JSONValue {
        [
            "id": .string(id.description), "name": .string(name), "linkCount": .int(linkCount),
            "createdAt": .string(createdAt.iso8601), "updatedAt": .string(updatedAt.iso8601),
        ]
    }
}

extension APIToken {
    var json: JSONValue {
        [
            "id": .string(id.description), "userId": .string(userID.description), "name": .string(name),
            "prefix": .string(prefix), "lastUsedAt": .optional(lastUsedAt?.iso8601),
            "revokedAt": .optional(revokedAt?.iso8601), "expiresAt": .optional(expiresAt?.iso8601),
            "createdAt": .string(createdAt.iso8601), "scope": .string(scope.rawValue),
        ]
    }
}

extension Link {
    /// - Parameter baseURL: the public edge's base URL, without a trailing slash.
    func json(baseURL: String) -> JSONValue {
        let link = fields
        return [
            "id": .string(id.description), "shortCode": .string(link.shortCode.rawValue),
            "shortUrl": .string("\(baseURL)/\(link.shortCode.rawValue)"), "originalUrl": .string(link.originalURL),
            "clientId": .string(link.clientID.description), "campaignId": .optional(link.campaignID?.description),
            "userId": .string(link.userID.description), "tags": .array(link.tags.map(JSONValue.string)),
            "redirectStatus": .int(link.redirectStatus.rawValue), "forwardQuery": .bool(link.forwardQuery),
            "expiresAt": .optional(link.expiresAt?.iso8601), "createdAt": .string(createdAt.iso8601),
            "updatedAt": .string(updatedAt.iso8601),
        ]
    }
}
