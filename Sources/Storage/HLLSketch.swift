/// Sketches of the Postgres hll extension (postgresql-hll) built in the process, for the
/// rollup groups' visitors (migration 0013): the extension's EXPLICIT representation, which
/// is what `hll_add_agg(hll_hash_bigint(v))` makes with the default parameters for up to
/// ``explicitLimit`` distinct hashes. Larger sets are left to Postgres.
///
/// The storage format (the extension's STORAGE.markdown): a version-and-type byte (1 and
/// EXPLICIT 2, or EMPTY 1), a parameter byte (register width 5 - 1 in the top three bits,
/// log2 of 2,048 registers in the low five), a cut-off byte (sparse on, explicit threshold
/// "auto"), then each 64-bit hash big-endian, as signed integers in ascending order.
enum HLLSketch {
    /// Distinct hashes the EXPLICIT form holds with the default parameters (2,048 registers
    /// of 5 bits: 1,280 bytes, divided by 8 bytes per hash).
    static let explicitLimit = 160

    /// `hll_hash_bigint(value)` with the default seed 0: the first 64 bits of MurmurHash3
    /// x64 128 over the value's eight bytes (little-endian, as the extension reads them).
    static func hash(_ value: Int64) -> Int64 {
        var k1 = UInt64(bitPattern: value)
        k1 &*= 0x87c3_7b91_1142_53d5
        k1 = (k1 << 31) | (k1 >> 33)
        k1 &*= 0x4cf5_ad43_2745_937f
        var h1: UInt64 = k1
        var h2: UInt64 = 0
        h1 ^= 8
        h2 ^= 8
        h1 &+= h2
        h2 &+= h1
        h1 = mix(h1)
        h2 = mix(h2)
        h1 &+= h2
        return Int64(bitPattern: h1)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    /// Appends the sketch of `hashes` (already hashed, sorted ascending, distinct; at most
    /// ``explicitLimit``) as a COPY text field: `\\x` and the bytes in hex.
    static func appendExplicit(_ hashes: [Int64], to buffer: inout [UInt8]) {
        precondition(hashes.count <= explicitLimit, "an EXPLICIT hll holds at most \(explicitLimit) hashes")
        let digits = Array("0123456789abcdef".utf8)
        // COPY text: the field's backslash is escaped.
        buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "x")])
        buffer.append(contentsOf: hashes.isEmpty ? Array("118b7f".utf8) : Array("128b7f".utf8))
        for hash in hashes {
            let bits = UInt64(bitPattern: hash)
            for shift in stride(from: 60, through: 0, by: -4) { buffer.append(digits[Int((bits >> UInt64(shift)) & 0xF)]) }
        }
    }
}
