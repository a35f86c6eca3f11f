import NIOCore
import ShortLinkCore

/// Accumulates links (streamed in chunks) into a ``LinkTable``.
///
/// Responses are packed into 1 MiB slabs; a slab is never written again once the next
/// one starts, so slices handed to the event loops stay valid and are never copied.
struct LinkTableBuilder {
    static let slabSize = 1 << 20

    private var slots: [LinkTable.Slot] = []
    private var codes: [UInt8] = []
    private var slabs: [ByteBuffer] = []
    private var current: ByteBuffer
    private let allocator = ByteBufferAllocator()

    init(expectedCount: Int = 0) {
        slots.reserveCapacity(expectedCount)
        current = allocator.buffer(capacity: Self.slabSize)
    }

    /// Number of links added so far.
    var count: Int { slots.count }

    /// Adds a link; a code that is not a valid short code is skipped (it could never be requested).
    mutating func add(_ target: LinkTarget) {
        guard ShortCode.isValid(target.code.utf8) else { return }
        let encoded = LinkResponseEncoder.encode(target)
        if current.writableBytes < encoded.bytes.count {
            slabs.append(current)
            current = allocator.buffer(capacity: max(Self.slabSize, encoded.bytes.count))
        }
        let offset = current.writerIndex
        current.writeBytes(encoded.bytes)
        let codeOffset = codes.count
        codes.append(contentsOf: target.code.utf8)
        var flags: UInt8 = 0
        if target.forwardQuery { flags |= LinkTable.Slot.forwardQuery }
        if encoded.targetHasQuery { flags |= LinkTable.Slot.targetHasQuery }
        slots.append(
            LinkTable.Slot(
                linkHigh: target.id.high, linkLow: target.id.low,
                expiresAt: target.expiresAt?.microsecondsSinceEpoch ?? .max,
                codeOffset: UInt32(codeOffset), slab: UInt32(slabs.count),
                responseOffset: UInt32(offset), responseLength: UInt32(encoded.bytes.count),
                insertAt: UInt32(encoded.insertAt), codeLength: UInt8(target.code.utf8.count), flags: flags))
    }

    /// Finishes the table.
    /// - Parameter seed: the hash seed; default random.
    consuming func build(seed: UInt64 = .random(in: .min ... .max)) -> LinkTable {
        slabs.append(current)
        return LinkTable(slots: slots, codes: codes, slabs: slabs, seed: seed)
    }
}
