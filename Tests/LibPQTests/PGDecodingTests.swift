import LibPQ
import ShortLinkTesting
import Testing

@Suite(.teardown) struct PGDecodingTests {
    @Test func decode_scalarTypes_roundTripExactly() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let uuid = PGUUID(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
        let time = PGTimestamp(microsecondsSinceEpoch: 1_795_000_000_123_456)
        let rows = try await db.pool.query(
            "SELECT $1::uuid, $2::text, $3::int2, $4::int4, $5::int8, $6::bool, $7::float8, $8::timestamptz, $9::bytea, $10::text",
            [
                uuid, "héllo\t\"world\"", Int16(-32768), Int32(2_147_483_647), Int64.min, true, 3.141592653589793, time,
                PGBytes([0, 1, 2, 255]), nil,
            ])
        let row = rows[0]
        #expect(try row.decode(0, as: PGUUID.self) == uuid)
        #expect(try row.decode(0, as: String.self) == "01234567-89ab-cdef-fedc-ba9876543210")
        #expect(try row.decode(1, as: String.self) == "héllo\t\"world\"")
        #expect(try row.decode(2, as: Int16.self) == -32768)
        #expect(try row.decode(3, as: Int32.self) == 2_147_483_647)
        #expect(try row.decode(4, as: Int64.self) == Int64.min)
        #expect(try row.decode(5, as: Bool.self))
        #expect(try row.decode(6, as: Double.self) == 3.141592653589793)
        #expect(try row.decode(7, as: PGTimestamp.self) == time)
        #expect(try row.decode(8, as: PGBytes.self) == PGBytes([0, 1, 2, 255]))
        #expect(try row.decode(9, as: String?.self) == nil)
        #expect(row.isNull(9))
        #expect(throws: PGError.self) { try row.decode(9, as: String.self) }
        #expect(throws: PGError.self) { try row.decode(1, as: Int.self) }
    }

    @Test(arguments: ["0", "-12345.6789", "0.0001", "100000000", "123456789012345678901234567890.000000001", "NaN", "-0.5"])
    func decode_numeric_keepsExactDecimalText(_ literal: String) async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let row = try await db.pool.query("SELECT $1::numeric, ($1::numeric)::text", [literal])[0]
        #expect(try row.decode(0, as: PGNumeric.self).text == row.decode(1, as: String.self))
    }

    @Test func decode_inetAndTextArray() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let tags = ["a", "b,c", "quote\"d", "back\\slash", "ünï", "{braces}", ""]
        let row = try await db.pool.query(
            "SELECT '192.0.2.7'::inet, '2001:db8::1'::inet, '10.1.0.0/16'::cidr, $1::text[], '{}'::text[], $2::inet",
            [tags, PGInet(address: [198, 51, 100, 9])])[0]
        #expect(try row.decode(0, as: PGInet.self).description == "192.0.2.7")
        #expect(try row.decode(1, as: PGInet.self).description == "2001:db8::1")
        #expect(try row.decode(2, as: PGInet.self).description == "10.1.0.0/16")
        #expect(try row.decode(3, as: [String].self) == tags)
        #expect(try row.decode(4, as: [String].self) == [])
        #expect(try row.decode(5, as: String.self) == "198.51.100.9")
    }

    @Test func decode_byColumnName() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let row = try await db.pool.query("SELECT 42 AS answer, 'x' AS letter")[0]
        #expect(try row.decode("answer", as: Int.self) == 42)
        #expect(try row.decode("letter", as: String.self) == "x")
        #expect(throws: PGError.self) { try row.decode("missing", as: Int.self) }
    }
}
