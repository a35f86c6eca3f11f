import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An immutable open-addressing table of every link, shared by all event loops.
///
/// Built off the loops by ``LinkTableBuilder`` and never changed afterwards, so lookups
/// need no lock. Everything a lookup reads lives in raw memory owned by the table (not Swift
/// arrays or `ByteBuffer`s): a hit touches no reference count shared between event loops.
/// Response bytes sit in large slabs (``ResponseSlabs``) and a hit returns a pointer into
/// one (no copy, no allocation); the loop holds the table, which holds the slabs, for as
/// long as the pointer is used (see ``LinkEntry``).
///
/// The same type holds a loop's changed codes (see ``LinkCache``): there a slot may be
/// marked removed, so the code answers 404 whatever the full table says.
final class LinkTable: Sendable {
    /// Fixed-size facts of one link; the code and response live in the arenas.
    struct Slot {
        var linkHigh: UInt64
        var linkLow: UInt64
        var expiresAt: Int64
        var codeOffset: UInt32
        var slab: UInt32
        var responseOffset: UInt32
        var responseLength: UInt32
        var insertAt: UInt32
        var codeLength: UInt8
        var flags: UInt8

        static let forwardQuery: UInt8 = 1
        static let targetHasQuery: UInt8 = 2
        /// The code no longer exists (changed-codes tables only).
        static let removed: UInt8 = 4
    }

    /// Number of links.
    let count: Int
    private let seed: UInt64
    private let mask: Int
    /// `(hash >> 32) << 32 | (entry index + 1)`; 0 is empty.
    nonisolated(unsafe) private let index: UnsafeMutablePointer<UInt64>
    nonisolated(unsafe) private let slots: UnsafeMutablePointer<Slot>
    nonisolated(unsafe) private let codes: UnsafeMutablePointer<UInt8>
    /// The slabs' base addresses, copied out of `slabs` so a lookup reads no Swift array.
    nonisolated(unsafe) private let slabBases: UnsafeMutablePointer<UnsafeRawPointer>
    /// Keeps the response memory alive as long as the table (never read on the hit path).
    private let slabs: ResponseSlabs

    init(slots source: [Slot], codes codeBytes: [UInt8], slabs: ResponseSlabs, seed: UInt64) {
        self.count = source.count
        self.seed = seed
        self.slabs = slabs
        let bases = slabs.bases
        let slabBases = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: max(1, bases.count))
        for (position, base) in bases.enumerated() { (slabBases + position).initialize(to: UnsafeRawPointer(base)) }
        self.slabBases = slabBases
        var capacity = 16
        while capacity < source.count + source.count / 2 + 1 { capacity <<= 1 }
        self.mask = capacity - 1
        let index = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        index.initialize(repeating: 0, count: capacity)
        self.index = index
        let slots = UnsafeMutablePointer<Slot>.allocate(capacity: max(1, source.count))
        source.withUnsafeBufferPointer { if let base = $0.baseAddress { slots.initialize(from: base, count: source.count) } }
        self.slots = slots
        let codes = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, codeBytes.count))
        codeBytes.withUnsafeBufferPointer { if let base = $0.baseAddress { codes.initialize(from: base, count: codeBytes.count) } }
        self.codes = codes
        for position in 0..<source.count {
            insert(position)
        }
    }

    deinit {
        index.deallocate()
        slots.deinitialize(count: count)
        slots.deallocate()
        codes.deallocate()
        slabBases.deallocate()
    }

    /// An empty table.
    static func empty() -> LinkTable {
        LinkTable(slots: [], codes: [], slabs: ResponseSlabs(), seed: 0)
    }

    private func code(of slot: Slot) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: codes + Int(slot.codeOffset), count: Int(slot.codeLength))
    }

    private func insert(_ position: Int) {
        let key = code(of: slots[position])
        let hash = CodeHash.hash(key, seed: seed)
        var probe = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while true {
            let value = index[probe]
            if value == 0 {
                index[probe] = tag | UInt64(position + 1)
                return
            }
            // A later row for the same code replaces the earlier one.
            if value & 0xFFFF_FFFF_0000_0000 == tag,
                equal(code(of: slots[Int(value & 0xFFFF_FFFF) - 1]), key)
            {
                index[probe] = tag | UInt64(position + 1)
                return
            }
            probe = (probe &+ 1) & mask
        }
    }

    /// Finds a code.
    /// - Parameter code: the code's bytes, borrowed from the request.
    /// - Returns: the entry, its response borrowed from the table's slabs; `nil` when absent
    ///   (or marked removed).
    @inline(__always)
    func lookup(_ code: UnsafeRawBufferPointer) -> LinkEntry? {
        position(of: code).flatMap(entry(at:))
    }

    /// Where a code's slot is, by its bytes (hashed with ``CodeHash``, compared with `memcmp`).
    /// - Parameter code: the code's bytes, borrowed from the request.
    /// - Returns: the slot's position; `nil` when the code is not in the table.
    @inline(__always)
    func position(of code: UnsafeRawBufferPointer) -> Int? {
        let hash = CodeHash.hash(code, seed: seed)
        var probe = Int(truncatingIfNeeded: hash) & mask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        while true {
            let value = index[probe]
            if value == 0 { return nil }
            if value & 0xFFFF_FFFF_0000_0000 == tag {
                let position = Int(value & 0xFFFF_FFFF) - 1
                if equal(self.code(of: slots[position]), code) { return position }
            }
            probe = (probe &+ 1) & mask
        }
    }

    /// The entry in a slot; `nil` when the slot marks a removed code.
    /// - Parameter position: a position returned by ``position(of:)``.
    @inline(__always)
    func entry(at position: Int) -> LinkEntry? {
        let slot = slots[position]
        if slot.flags & Slot.removed != 0 { return nil }
        return LinkEntry(
            linkID: EntityID(high: slot.linkHigh, low: slot.linkLow), expiresAt: slot.expiresAt,
            response: UnsafeRawBufferPointer(
                start: slabBases[Int(slot.slab)] + Int(slot.responseOffset), count: Int(slot.responseLength)),
            insertAt: Int(slot.insertAt), targetHasQuery: slot.flags & Slot.targetHasQuery != 0,
            forwardQuery: slot.flags & Slot.forwardQuery != 0)
    }

    @inline(__always)
    private func equal(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        lhs.count == rhs.count && (lhs.count == 0 || memcmp(lhs.baseAddress!, rhs.baseAddress!, lhs.count) == 0)
    }
}
