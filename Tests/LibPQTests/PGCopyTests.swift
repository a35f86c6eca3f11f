import LibPQ
import ShortLinkTesting
import Testing

@Suite(.teardown) struct PGCopyTests {
    /// Rows with every character COPY's text format must escape.
    static func row(_ index: Int) -> [String?] {
        [
            String(index),
            "text \(index)\twith tab\nnewline\\backslash\r\"quote\" ünïcødé",
            index % 7 == 0 ? nil : "ua/\(index)",
        ]
    }

    @Test func copy_100kRows_roundTripExactly() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await db.pool.execute("CREATE TABLE c (id int PRIMARY KEY, body text NOT NULL, note text)")
        let count = 100_000
        let stored = try await db.pool.withConnection { connection in
            try connection.copyIn("COPY c (id, body, note) FROM STDIN") { writer in
                for index in 0..<count { try writer.writeRow(Self.row(index)) }
            }
        }
        #expect(stored == count)

        // Read back through the connection API…
        let readBack = try await db.pool.withConnection { connection -> [[String?]] in
            var rows: [[String?]] = []
            try connection.copyOut("COPY (SELECT id, body, note FROM c ORDER BY id) TO STDOUT") { line in
                rows.append(PGCopyText.parseRow(line))
                return true
            }
            return rows
        }
        #expect(readBack.count == count)
        #expect(readBack.enumerated().allSatisfy { $0.element == Self.row($0.offset) })

        // …and through the pool's streaming API, chunk by chunk.
        var streamed: [UInt8] = []
        for try await chunk in db.pool.copyOut("COPY (SELECT id, body, note FROM c ORDER BY id) TO STDOUT", chunkSize: 16 * 1024) {
            #expect(chunk.last == UInt8(ascii: "\n"))
            streamed.append(contentsOf: chunk)
        }
        var expected: [UInt8] = []
        for index in 0..<count { PGCopyText.appendRow(Self.row(index), to: &expected) }
        #expect(streamed == expected)
    }

    @Test func copyIn_whenBodyThrows_storesNothing() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await db.pool.execute("CREATE TABLE c (id int)")
        struct Stop: Error {}
        await #expect(throws: Stop.self) {
            try await db.pool.withConnection { connection in
                try connection.copyIn("COPY c (id) FROM STDIN") { writer in
                    try writer.writeRow(["1"])
                    try writer.flush()
                    throw Stop()
                }
            }
        }
        #expect(try await db.pool.query("SELECT count(*) FROM c")[0].decode(0, as: Int.self) == 0)
        // The connection is usable afterwards.
        #expect(try await db.pool.query("SELECT 1")[0].decode(0, as: Int.self) == 1)
    }

    @Test func copyIn_fromAsyncSequence_storesEveryChunk() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await db.pool.execute("CREATE TABLE c (id int, body text)")
        let chunks = AsyncStream<[UInt8]> { continuation in
            for block in 0..<10 {
                var bytes: [UInt8] = []
                for index in 0..<1_000 { PGCopyText.appendRow([String(block * 1_000 + index), "b\t\(index)"], to: &bytes) }
                continuation.yield(bytes)
            }
            continuation.finish()
        }
        let stored = try await db.pool.copyIn("COPY c (id, body) FROM STDIN", from: chunks)
        #expect(stored == 10_000)
        #expect(try await db.pool.query("SELECT count(DISTINCT id) FROM c")[0].decode(0, as: Int.self) == 10_000)
    }

    @Test func copyOutStream_stoppedEarly_releasesTheConnection() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        var seen = 0
        for try await _ in db.pool.copyOut("COPY (SELECT g, repeat('x', 100) FROM generate_series(1, 1000000) g) TO STDOUT", chunkSize: 4096) {
            seen += 1
            if seen == 3 { break }
        }
        #expect(seen == 3)
        // All four connections must come back: run four queries at once.
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 { group.addTask { try await db.pool.query("SELECT 1")[0].decode(0, as: Int.self) } }
            for try await value in group { #expect(value == 1) }
        }
    }
}

@Suite struct PGCopyTextTests {
    @Test func appendField_escapesSeparators_andDropsNUL() {
        var buffer: [UInt8] = []
        PGCopyText.appendField("a\\b\tc\nd\re\u{0}f", to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"a\\b\tc\nd\ref"#)
        buffer = []
        PGCopyText.appendField(nil, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"\N"#)
    }

    /// Values without a byte to escape are copied whole; the result is the same as escaping
    /// byte by byte, for plain values, values with one special byte anywhere, and non-ASCII.
    @Test func appendField_plainAndSpecialValues_matchByteByByteEscaping() {
        func reference(_ value: String) -> [UInt8] {
            value.utf8.flatMap { byte -> [UInt8] in
                switch byte {
                case 0: []
                case 92: [92, 92]
                case 9: [92, UInt8(ascii: "t")]
                case 10: [92, UInt8(ascii: "n")]
                case 13: [92, UInt8(ascii: "r")]
                default: [byte]
                }
            }
        }
        let agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
        var values = ["", "DE", "Zürich", "東京", agent]
        for special in ["\\", "\t", "\n", "\r", "\u{0}"] {
            values += [special + agent, agent + special, String(agent.prefix(40)) + special + String(agent.dropFirst(40))]
        }
        for value in values {
            var buffer: [UInt8] = [7]
            PGCopyText.appendField(value, to: &buffer)
            #expect(buffer == [7] + reference(value), "\(value.debugDescription)")
        }
    }
}
