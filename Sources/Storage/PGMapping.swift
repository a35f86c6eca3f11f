import LibPQ
import ShortLinkCore

// The only place Core values meet LibPQ values.

extension EntityID {
    init(_ uuid: PGUUID) { self.init(high: uuid.high, low: uuid.low) }
    var pg: PGUUID { PGUUID(high: high, low: low) }
}

extension Timestamp {
    init(_ timestamp: PGTimestamp) { self.init(microsecondsSinceEpoch: timestamp.microsecondsSinceEpoch) }
    var pg: PGTimestamp { PGTimestamp(microsecondsSinceEpoch: microsecondsSinceEpoch) }
}

extension PGRow {
    func id(_ column: String) throws -> EntityID { EntityID(try decode(column, as: PGUUID.self)) }
    func optionalID(_ column: String) throws -> EntityID? { try decode(column, as: PGUUID?.self).map(EntityID.init) }
    func time(_ column: String) throws -> Timestamp { Timestamp(try decode(column, as: PGTimestamp.self)) }
    func optionalTime(_ column: String) throws -> Timestamp? { try decode(column, as: PGTimestamp?.self).map(Timestamp.init) }

    /// A `links.redirect_status` value; the table's CHECK allows only the known statuses.
    func redirectStatus(_ column: String) throws -> RedirectStatus {
        guard let status = RedirectStatus(rawValue: try decode(column, as: Int.self)) else {
            throw PGError(code: .decodingFailed, message: "column \"\(column)\" holds an unsupported redirect status")
        }
        return status
    }
}
