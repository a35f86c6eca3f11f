import CLibPQ

/// The rows of one statement's result, in binary format, immutable once read.
public final class PGRows: @unchecked Sendable, RandomAccessCollection {
    private let result: OpaquePointer?
    /// Number of rows.
    public let count: Int
    /// Column names, in order.
    public let columnNames: [String]
    /// Column types, in order.
    public let columnTypes: [PGTypeOID]
    /// Rows inserted, updated, deleted or copied (from the command tag), 0 when not reported.
    public let affectedRows: Int

    init(checking result: OpaquePointer?, connection: PGConnection, statement: String?) throws {
        do {
            try Self.check(result, connection: connection, statement: statement)
        } catch {
            PQclear(result)
            throw error
        }
        self.result = result
        count = Int(PQntuples(result))
        let fields = Int(PQnfields(result))
        columnNames = (0..<fields).map { String(cString: PQfname(result, Int32($0))) }
        columnTypes = (0..<fields).map { PGTypeOID(PQftype(result, Int32($0))) }
        affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    deinit {
        PQclear(result)
    }

    /// Throws the server's error when `result` is not a success.
    static func check(_ result: OpaquePointer?, connection: PGConnection, statement: String?) throws {
        guard let result else { throw connection.connectionError(statement: statement) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_SINGLE_TUPLE:
            return
        default:
            throw PGError(result: result, connection: connection, statement: statement)
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The row at `position`.
    public subscript(position: Int) -> PGRow { PGRow(rows: self, index: position) }

    /// The index of a column by name.
    /// - Parameter name: the column name as the statement returns it.
    public func columnIndex(_ name: String) -> Int? { columnNames.firstIndex(of: name) }

    func decode<T: PGDecodable>(row: Int, column: Int, as type: T.Type) throws(PGError) -> T {
        guard column >= 0, column < columnNames.count else {
            throw PGError(code: .decodingFailed, message: "column index \(column) out of range")
        }
        let field: PGField
        if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
            field = PGField(type: columnTypes[column], columnName: columnNames[column], bytes: nil)
        } else {
            let length = Int(PQgetlength(result, Int32(row), Int32(column)))
            let value = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column)))
            field = PGField(
                type: columnTypes[column], columnName: columnNames[column],
                bytes: UnsafeRawBufferPointer(start: value, count: length))
        }
        return try T(pgField: field)
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) != 0
    }
}

/// One row of a ``PGRows``.
public struct PGRow: Sendable {
    let rows: PGRows
    let index: Int

    /// Decodes the column at `column` (0-based).
    /// - Parameters:
    ///   - column: the column position.
    ///   - type: the Swift type; use an Optional for nullable columns.
    public func decode<T: PGDecodable>(_ column: Int, as type: T.Type = T.self) throws(PGError) -> T {
        try rows.decode(row: index, column: column, as: type)
    }

    /// Decodes the column named `name`.
    /// - Parameters:
    ///   - name: the column name.
    ///   - type: the Swift type; use an Optional for nullable columns.
    public func decode<T: PGDecodable>(_ name: String, as type: T.Type = T.self) throws(PGError) -> T {
        guard let column = rows.columnIndex(name) else {
            throw PGError(code: .decodingFailed, message: "no column named \"\(name)\"")
        }
        return try rows.decode(row: index, column: column, as: type)
    }

    /// Whether the column is SQL NULL.
    /// - Parameter column: the column position.
    public func isNull(_ column: Int) -> Bool { rows.isNull(row: index, column: column) }
}

extension PGError {
    init(result: OpaquePointer, connection: PGConnection, statement: String?) {
        func field(_ code: UInt8) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: pointer)
        }
        let sqlState = field(UInt8(ascii: "C"))
        let primary = field(UInt8(ascii: "M")) ?? PGConnection.trimmed(PQresultErrorMessage(result))
        var code = sqlState.map(PGError.Code.forSQLState) ?? .clientError
        if sqlState == nil, PQstatus(connection.handle) != CONNECTION_OK { code = .connectionLost }
        self.init(
            code: code, sqlState: sqlState, message: primary,
            constraint: field(UInt8(ascii: "n")), table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c")), detail: field(UInt8(ascii: "D")),
            hint: field(UInt8(ascii: "H")), statement: statement)
    }
}
