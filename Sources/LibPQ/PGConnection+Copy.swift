import CLibPQ

extension PGConnection {
    /// Streams rows into a `COPY … FROM STDIN` statement.
    ///
    /// `body` writes rows through the writer, which sends them in chunks of about 64 KiB.
    /// When `body` throws, the COPY is aborted (nothing is stored) and the error rethrown.
    /// - Parameters:
    ///   - sql: a fixed `COPY table (columns) FROM STDIN` statement (text format).
    ///   - body: produces the rows.
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (PGCopyInWriter) throws -> Void) throws -> Int {
        try beginCopyIn(sql)
        let writer = PGCopyInWriter(connection: self)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            abortCopyIn()
            throw error
        }
        return try endCopyIn(sql)
    }

    /// Streams the rows of a `COPY … TO STDOUT` statement, one text-format line per call.
    ///
    /// `body` gets each line (with its trailing newline) and returns `false` to stop early,
    /// which cancels the statement on the server.
    /// - Parameters:
    ///   - sql: a fixed `COPY (query) TO STDOUT` statement.
    ///   - body: consumes one line; the buffer is valid only during the call.
    /// - Returns: the number of rows read.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Bool) throws -> Int {
        let start = PQexec(handle, sql)
        defer { PQclear(start) }
        try PGRows.check(start, connection: self, statement: sql)
        guard PQresultStatus(start) == PGRES_COPY_OUT else {
            throw PGError(code: .copyFailed, message: "statement did not start COPY TO STDOUT", statement: sql)
        }
        var rows = 0
        while true {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            let length = PQgetCopyData(handle, &buffer, 0)
            if length == -1 { break }
            if length < 0 { throw connectionError(statement: sql) }
            guard let buffer else { continue }
            let keepGoing: Bool
            do {
                keepGoing = try body(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            } catch {
                PQfreemem(buffer)
                cancelRunningCopyOut()
                throw error
            }
            PQfreemem(buffer)
            rows += 1
            if !keepGoing {
                cancelRunningCopyOut()
                return rows
            }
        }
        _ = try finishCopy(statement: sql)
        return rows
    }

    /// Cancels the server side of a COPY TO and discards what is still in flight.
    private func cancelRunningCopyOut() {
        if let cancel = PQgetCancel(handle) {
            var errorBuffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count))
            PQfreeCancel(cancel)
        }
        while true {
            var buffer: UnsafeMutablePointer<CChar>? = nil
            let length = PQgetCopyData(handle, &buffer, 0)
            if let buffer { PQfreemem(buffer) }
            if length < 0 { break }
        }
        drainResults()
    }

    /// Starts a `COPY … FROM STDIN`; the caller sends rows with ``putCopyData(_:)``, then
    /// ends with ``endCopyIn(_:)`` or ``abortCopyIn()``.
    func beginCopyIn(_ sql: String) throws {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try PGRows.check(result, connection: self, statement: sql)
        guard PQresultStatus(result) == PGRES_COPY_IN else {
            throw PGError(code: .copyFailed, message: "statement did not start COPY FROM STDIN", statement: sql)
        }
    }

    /// Ends a running `COPY … FROM STDIN` with an error, so that nothing is stored.
    func abortCopyIn() {
        _ = PQputCopyEnd(handle, "aborted by client")
        drainResults()
    }

    /// Ends a running `COPY … FROM STDIN` and returns the rows stored.
    func endCopyIn(_ sql: String) throws -> Int {
        guard PQputCopyEnd(handle, nil) == 1 else { throw connectionError(statement: sql) }
        return try finishCopy(statement: sql)
    }

    /// Reads the results left after a COPY and returns the rows it affected; the first
    /// failing result is thrown (after every result is read, so the connection is idle again).
    func finishCopy(statement: String) throws -> Int {
        var affected = 0
        var failure: (any Error)?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            if failure == nil {
                do {
                    try PGRows.check(result, connection: self, statement: statement)
                    affected = Int(String(cString: PQcmdTuples(result))) ?? affected
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return affected
    }

    func drainResults() {
        while let result = PQgetResult(handle) { PQclear(result) }
    }

    func putCopyData(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        let status = PQputCopyData(handle, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
        guard status == 1 else { throw connectionError(statement: nil) }
    }
}

/// Writes rows into a running `COPY … FROM STDIN`, buffering about 64 KiB per send.
public final class PGCopyInWriter {
    private let connection: PGConnection
    private var buffer: [UInt8] = []
    private let flushThreshold = 64 * 1024

    init(connection: PGConnection) {
        self.connection = connection
        buffer.reserveCapacity(flushThreshold + 4096)
    }

    /// Writes one row of text-format fields; `nil` is NULL. Tabs, newlines and
    /// backslashes inside values are escaped.
    /// - Parameter fields: the row's values in column order.
    public func writeRow(_ fields: [String?]) throws {
        PGCopyText.appendRow(fields, to: &buffer)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Writes bytes that are already in COPY format (whole rows, newline-terminated).
    /// - Parameter bytes: encoded rows.
    public func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Sends what is buffered.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try connection.putCopyData($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The text format of COPY: fields separated by tabs, rows ended by `\n`, `\N` for NULL.
public enum PGCopyText {
    /// Appends one encoded row.
    /// - Parameters:
    ///   - fields: values in column order; `nil` is NULL.
    ///   - buffer: the output.
    public static func appendRow(_ fields: [String?], to buffer: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: "\t")) }
            appendField(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Appends one escaped field (no separator). NUL bytes are dropped: a Postgres text
    /// value cannot hold them, and one would fail the whole COPY.
    /// - Parameters:
    ///   - field: the value; `nil` is NULL.
    ///   - buffer: the output.
    public static func appendField(_ field: String?, to buffer: inout [UInt8]) {
        guard let field else {
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(UInt8(ascii: "N"))
            return
        }
        // Most values (user agents, referrers, places) need no escape: copied whole.
        let copied = field.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard
                !bytes.contains(where: {
                    $0 == 0 || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
                })
            else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for byte in field.utf8 {
            let escaped: UInt8
            switch byte {
            case 0: continue
            case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
            case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
            default:
                buffer.append(byte)
                continue
            }
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(escaped)
        }
    }

    /// Decodes one text-format line (with or without its trailing newline) into fields.
    /// - Parameter line: the bytes of one row.
    public static func parseRow(_ line: UnsafeRawBufferPointer) -> [String?] {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var fields: [String?] = []
        var current: [UInt8] = []
        var isNull = false
        var index = 0
        func finishField() {
            fields.append(isNull ? nil : String(decoding: current, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
            isNull = false
        }
        while index < end {
            let byte = line[index]
            if byte == UInt8(ascii: "\t") {
                finishField()
            } else if byte == UInt8(ascii: "\\"), index + 1 < end {
                index += 1
                switch line[index] {
                case UInt8(ascii: "N"): isNull = true
                case UInt8(ascii: "t"): current.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): current.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): current.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "b"): current.append(8)
                case UInt8(ascii: "f"): current.append(12)
                case UInt8(ascii: "v"): current.append(11)
                case let other: current.append(other)
                }
            } else {
                current.append(byte)
            }
            index += 1
        }
        finishField()
        return fields
    }
}
