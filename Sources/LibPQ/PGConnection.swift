import CLibPQ

#if canImport(Glibc)
    import Glibc
#endif

/// One blocking connection to Postgres.
///
/// Not thread-safe: use it from one thread at a time. ``PGPool`` hands connections to
/// closures on its `NIOThreadPool`, never to an event loop. Every statement is sent with
/// `PQexecParams`, so values always travel as parameters, never inside the SQL text.
public final class PGConnection {
    let handle: OpaquePointer

    /// Opens a connection.
    /// - Parameters:
    ///   - url: a libpq URL or key=value string, e.g. `postgresql:///shortlinks?host=/tmp`.
    ///   - connectTimeoutSeconds: libpq `connect_timeout`; default 10 (libpq's minimum is 2).
    ///   - applicationName: shown in `pg_stat_activity`; default `shortlinks`.
    /// - Throws: ``PGError`` `.connectionFailed` (the message names host and reason, never the password).
    public init(url: String, connectTimeoutSeconds: Int = 10, applicationName: String = "shortlinks") throws {
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [url, String(max(2, connectTimeoutSeconds)), applicationName]
        let connection = withCStringArray(keywords) { keywordPointers in
            withCStringArray(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PGError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            let code: PGError.Code = message.contains("invalid") && message.contains("URI") ? .invalidURL : .connectionFailed
            throw PGError(code: code, message: Self.redactPassword(message, url: url))
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// Whether an idle connection can take a statement: the session is healthy and nothing
    /// is waiting on its socket. An idle pooled session never receives data unasked, so
    /// readable input means the server is going away (a restart or an admin shutdown sends
    /// a FATAL message, then EOF). Costs one `poll` without waiting.
    public var isUsable: Bool {
        guard PQstatus(handle) == CONNECTION_OK else { return false }
        let socket = PQsocket(handle)
        guard socket >= 0 else { return false }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// The server's transaction state for this session.
    public var transactionState: PGTransactionState {
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: .idle
        case PQTRANS_INTRANS: .inTransaction
        case PQTRANS_INERROR: .failedTransaction
        case PQTRANS_ACTIVE: .active
        default: .unknown
        }
    }

    /// The backend process id (for `pg_terminate_backend` and notifications).
    public var backendPID: Int { Int(PQbackendPID(handle)) }

    /// Whether the session runs over a Unix-domain socket, so its server backend is a process
    /// of this machine (`PQhost` names a socket directory).
    public var isUnixSocket: Bool {
        guard let host = PQhost(handle) else { return false }
        return host.pointee == UInt8(ascii: "/")
    }

    /// Runs one statement and returns its rows (binary format).
    /// - Parameters:
    ///   - sql: one statement with `$1…$n` placeholders.
    ///   - parameters: the values; `nil` is SQL NULL.
    public func query(_ sql: String, _ parameters: [(any PGEncodable)?] = []) throws -> PGRows {
        let result = withParameters(parameters) { count, types, values, lengths, formats in
            PQexecParams(handle, sql, count, types, values, lengths, formats, 1)
        }
        return try PGRows(checking: result, connection: self, statement: sql)
    }

    /// Runs one statement and returns how many rows it affected.
    /// - Parameters:
    ///   - sql: one statement with `$1…$n` placeholders.
    ///   - parameters: the values; `nil` is SQL NULL.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PGEncodable)?] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs a script of several statements with the simple-query protocol. It takes no
    /// parameters, so use it only for fixed SQL shipped with the program (migrations).
    /// - Parameter script: SQL statements separated by semicolons.
    public func executeScript(_ script: String) throws {
        var result = PQexec(handle, script)
        // The simple protocol returns one result per statement; keep the last, check each.
        try PGRows.check(result, connection: self, statement: nil)
        PQclear(result)
        while true {
            result = PQgetResult(handle)
            guard result != nil else { break }
            defer { PQclear(result) }
            try PGRows.check(result, connection: self, statement: nil)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Nested calls use savepoints.
    /// - Parameter body: the work; receives this connection.
    public func transaction<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let nested = transactionState == .inTransaction
        let savepoint = "sl_sp_\(savepointCounter)"
        savepointCounter += 1
        try executeScript(nested ? "SAVEPOINT \(savepoint)" : "BEGIN")
        do {
            let value = try body(self)
            try executeScript(nested ? "RELEASE SAVEPOINT \(savepoint)" : "COMMIT")
            return value
        } catch {
            if PQstatus(handle) == CONNECTION_OK {
                try? executeScript(nested ? "ROLLBACK TO SAVEPOINT \(savepoint)" : "ROLLBACK")
            }
            throw error
        }
    }

    private var savepointCounter = 0

    /// Quotes an identifier (a channel, table or column name) for the few statements that
    /// cannot take parameters (`LISTEN`). Never use it for values.
    /// - Parameter identifier: the name.
    public func quoteIdentifier(_ identifier: String) throws -> String {
        guard let quoted = PQescapeIdentifier(handle, identifier, identifier.utf8.count) else {
            throw PGError(code: .clientError, message: Self.trimmed(PQerrorMessage(handle)))
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// The connection's latest error as a ``PGError`` (used when a call returned no result).
    func connectionError(statement: String?) -> PGError {
        let message = Self.trimmed(PQerrorMessage(handle))
        let lost = PQstatus(handle) != CONNECTION_OK
        return PGError(code: lost ? .connectionLost : .clientError, message: message, statement: statement)
    }

    static func trimmed(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        var text = String(cString: pointer)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// libpq never echoes the password, but make sure a URL's password cannot leak anyway.
    static func redactPassword(_ message: String, url: String) -> String {
        guard let password = PGConnectionURL.password(in: url), !password.isEmpty else { return message }
        return PGConnectionURL.replacingAll(password, in: message, with: "***")
    }
}

/// A session's transaction state.
public enum PGTransactionState: Sendable {
    /// No transaction open.
    case idle
    /// Inside a healthy transaction.
    case inTransaction
    /// Inside a transaction that failed and must be rolled back.
    case failedTransaction
    /// A command is in progress.
    case active
    /// The connection is bad.
    case unknown
}

/// Calls `body` with a NULL-terminated array of C strings.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { storage.forEach { free($0) } }
    storage.append(nil)
    return storage.withUnsafeBufferPointer { buffer in
        buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
    }
}

/// Lays the parameters out for `PQexecParams`: one contiguous byte buffer plus the
/// pointer, length, format and type arrays. Text values get a NUL terminator.
func withParameters<R>(
    _ parameters: [(any PGEncodable)?],
    _ body: (
        Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
        UnsafePointer<Int32>?
    ) -> R
) -> R {
    if parameters.isEmpty { return body(0, nil, nil, nil, nil) }
    var storage: [UInt8] = []
    var offsets: [Int?] = []
    var types: [Oid] = []
    var lengths: [Int32] = []
    var formats: [Int32] = []
    for parameter in parameters {
        guard let parameter else {
            offsets.append(nil)
            types.append(0)
            lengths.append(0)
            formats.append(0)
            continue
        }
        let encoded = parameter.pgParameter
        offsets.append(storage.count)
        storage.append(contentsOf: encoded.bytes)
        if encoded.format == .text { storage.append(0) }
        types.append(encoded.type.rawValue)
        lengths.append(Int32(encoded.bytes.count))
        formats.append(encoded.format.rawValue)
    }
    if storage.isEmpty { storage.append(0) }
    return storage.withUnsafeBufferPointer { bytes in
        let base = UnsafeRawPointer(bytes.baseAddress!)
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.map { (base + $0).assumingMemoryBound(to: CChar.self) }
        }
        return pointers.withUnsafeBufferPointer { pointerBuffer in
            body(Int32(parameters.count), types, pointerBuffer.baseAddress, lengths, formats)
        }
    }
}
