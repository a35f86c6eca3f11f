import Foundation
import ShortLinkCore
import Storage

/// The opaque `cursor` of a link listing: the sort it belongs to and the last item's key,
/// base64url-encoded. A cursor from another sort is refused.
struct LinkCursor: Equatable {
    var sort: LinkSort
    var createdAt: Timestamp?
    var id: EntityID?
    var shortCode: String?

    /// The cursor that continues after `link` in `sort` order.
    init(after link: Link, sort: LinkSort) {
        self.sort = sort
        switch sort {
        case .newestFirst, .oldestFirst:
            createdAt = link.createdAt
            id = link.id
        case .shortCodeAscending, .shortCodeDescending:
            shortCode = link.shortCode.rawValue
        }
    }

    /// Decodes a cursor.
    /// - Parameter text: the `cursor` parameter.
    init?(_ text: String) {
        guard let bytes = OIDCVerifier.base64URLDecode(Substring(text)) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1" else { return nil }
        let rest = parts[2]
        guard let sort = LinkSort(rawValue: String(parts[1])) else { return nil }
        self.sort = sort
        switch sort {
        case .newestFirst, .oldestFirst:
            let key = rest.split(separator: "|")
            guard key.count == 2, let micros = Int64(key[0]), let id = EntityID(key[1]) else { return nil }
            createdAt = Timestamp(microsecondsSinceEpoch: micros)
            self.id = id
        case .shortCodeAscending, .shortCodeDescending:
            guard ShortCode(String(rest)) != nil else { return nil }
            shortCode = String(rest)
        }
    }

    /// The text form.
    var encoded: String {
        let key =
            switch sort {
            case .newestFirst, .oldestFirst: "\(createdAt?.microsecondsSinceEpoch ?? 0)|\(id?.description ?? "")"
            case .shortCodeAscending, .shortCodeDescending: shortCode ?? ""
            }
        return Data("v1|\(sort.rawValue)|\(key)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
