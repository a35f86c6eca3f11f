import ShortLinkCore

/// Accumulates links (streamed in chunks) into a ``LinkTable``.
///
/// Responses are packed into 1 MiB raw slabs (``ResponseSlabs``); a slab is never written
/// again once the next one starts, and the finished table owns them.
struct LinkTableBuilder {
    private var slots: [LinkTable.Slot] = []
    private var codes: [UInt8] = []
    private let slabs = ResponseSlabs()

    init(expectedCount: Int = 0) {
        slots.reserveCapacity(expectedCount)
    }

    /// Number of links added so far.
    var count: Int { slots.count }

    /// Adds a link; a code that is not a valid short code is skipped (it could never be requested).
    mutating func add(_ target: LinkTarget) {
        guard ShortCode.isValid(target.code.utf8) else { return }
        let encoded = LinkResponseEncoder.encode(target)
        let (slab, offset) = slabs.append(encoded.bytes)
        var flags: UInt8 = 0
        if target.forwardQuery { flags |= LinkTable.Slot.forwardQuery }
        if encoded.targetHasQuery { flags |= LinkTable.Slot.targetHasQuery }
        appendSlot(
            code: target.code,
            LinkTable.Slot(
                linkHigh: target.id.high, linkLow: target.id.low,
                expiresAt: target.expiresAt?.microsecondsSinceEpoch ?? .max, codeOffset: 0, slab: UInt32(slab),
                responseOffset: UInt32(offset), responseLength: UInt32(encoded.bytes.count),
                insertAt: UInt32(encoded.insertAt), codeLength: 0, flags: flags))
    }

    /// Marks a code as gone (for a table of changed codes: it answers 404 whatever the full
    /// table says); an invalid short code is skipped.
    mutating func addRemoved(code: String) {
        guard ShortCode.isValid(code.utf8) else { return }
        appendSlot(
            code: code,
            LinkTable.Slot(
                linkHigh: 0, linkLow: 0, expiresAt: 0, codeOffset: 0, slab: 0, responseOffset: 0, responseLength: 0,
                insertAt: 0, codeLength: 0, flags: LinkTable.Slot.removed))
    }

    private mutating func appendSlot(code: String, _ slot: LinkTable.Slot) {
        var slot = slot
        slot.codeOffset = UInt32(codes.count)
        slot.codeLength = UInt8(code.utf8.count)
        codes.append(contentsOf: code.utf8)
        slots.append(slot)
    }

    /// Finishes the table.
    /// - Parameter seed: the hash seed; default random.
    consuming func build(seed: UInt64 = .random(in: .min ... .max)) -> LinkTable {
        LinkTable(slots: slots, codes: codes, slabs: slabs, seed: seed)
    }
}
