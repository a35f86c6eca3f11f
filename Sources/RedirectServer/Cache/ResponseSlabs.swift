/// The encoded responses of one ``LinkTable``, packed into raw slabs of at least 1 MiB.
///
/// Raw memory, not `ByteBuffer`s: a lookup reads a response through a plain pointer, so a
/// hit never retains or releases a reference-counted object shared with other event loops.
/// Written only while the table is built (by one owner), read-only afterwards; freed with
/// the last table that holds it.
final class ResponseSlabs: @unchecked Sendable {
    /// Smallest slab size.
    static let slabSize = 1 << 20

    private(set) var bases: [UnsafeMutableRawPointer] = []
    private var used = 0
    private var capacity = 0

    /// Copies `bytes` into the current slab (a new one when it does not fit) and returns where.
    func append(_ bytes: [UInt8]) -> (slab: Int, offset: Int) {
        if capacity - used < bytes.count || bases.isEmpty {
            capacity = max(Self.slabSize, bytes.count)
            bases.append(.allocate(byteCount: capacity, alignment: 16))
            used = 0
        }
        let offset = used
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { (bases[bases.count - 1] + offset).copyMemory(from: base, byteCount: source.count) }
        }
        used += bytes.count
        return (bases.count - 1, offset)
    }

    deinit {
        for base in bases { base.deallocate() }
    }
}
