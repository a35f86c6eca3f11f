/// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash, written from the paper's
/// description. Used for visitor hashes, where the key (the day's salt) must stay secret
/// for the hash to reveal nothing.
struct SipHash24 {
    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    private var tail: UInt64 = 0
    private var tailCount = 0
    private var length = 0

    /// - Parameters:
    ///   - k0: key bytes 0…7, little-endian.
    ///   - k1: key bytes 8…15, little-endian.
    init(k0: UInt64, k1: UInt64) {
        v0 = k0 ^ 0x736f_6d65_7073_6575
        v1 = k1 ^ 0x646f_7261_6e64_6f6d
        v2 = k0 ^ 0x6c79_6765_6e65_7261
        v3 = k1 ^ 0x7465_6462_7974_6573
    }

    mutating func combine(_ bytes: some Sequence<UInt8>) {
        // Contiguous bytes (arrays, native strings' UTF-8) go in whole words; feeding them
        // byte by byte was most of a visitor hash's cost (`scripts/bench-enrichment`).
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in combine(UnsafeRawBufferPointer(buffer)) }
        if done != nil { return }
        for byte in bytes { append(byte) }
    }

    private mutating func combine(_ raw: UnsafeRawBufferPointer) {
        var index = 0
        while tailCount != 0, index < raw.count {
            append(raw[index])
            index += 1
        }
        while raw.count - index >= 8 {
            compress(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            length += 8
            index += 8
        }
        while index < raw.count {
            append(raw[index])
            index += 1
        }
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) {
        tail |= UInt64(byte) << (8 * UInt64(tailCount))
        tailCount += 1
        length += 1
        if tailCount == 8 {
            compress(tail)
            tail = 0
            tailCount = 0
        }
    }

    mutating func finalize() -> UInt64 {
        let last = tail | (UInt64(truncatingIfNeeded: length) << 56)
        compress(last)
        v2 ^= 0xff
        for _ in 0..<4 { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }

    private mutating func compress(_ word: UInt64) {
        v3 ^= word
        round()
        round()
        v0 ^= word
    }

    private mutating func round() {
        v0 &+= v1
        v1 = v1.rotatedLeft(13)
        v1 ^= v0
        v0 = v0.rotatedLeft(32)
        v2 &+= v3
        v3 = v3.rotatedLeft(16)
        v3 ^= v2
        v0 &+= v3
        v3 = v3.rotatedLeft(21)
        v3 ^= v0
        v2 &+= v1
        v1 = v1.rotatedLeft(17)
        v1 ^= v2
        v2 = v2.rotatedLeft(32)
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
