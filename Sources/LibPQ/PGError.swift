/// An error from the libpq layer.
///
/// `description` is safe to log: it carries the stable code, the SQLSTATE, the server's
/// primary message (with quoted values removed for data errors) and the constraint or
/// table it names, never a parameter value, the server's `DETAIL` (which echoes row
/// values) or a password. `debugDescription` adds detail, hint and the statement text.
public struct PGError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// A stable, coarse classification that callers switch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable token, e.g. `unique_violation`.
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// SQLSTATE 23505.
        public static let uniqueViolation = Code("unique_violation")
        /// SQLSTATE 23503.
        public static let foreignKeyViolation = Code("foreign_key_violation")
        /// SQLSTATE 23514.
        public static let checkViolation = Code("check_violation")
        /// SQLSTATE 23502.
        public static let notNullViolation = Code("not_null_violation")
        /// SQLSTATE 23P01.
        public static let exclusionViolation = Code("exclusion_violation")
        /// SQLSTATE class 22: a value the server could not accept.
        public static let dataException = Code("data_exception")
        /// SQLSTATE 40001.
        public static let serializationFailure = Code("serialization_failure")
        /// SQLSTATE 40P01.
        public static let deadlockDetected = Code("deadlock_detected")
        /// SQLSTATE 57014.
        public static let queryCanceled = Code("query_canceled")
        /// SQLSTATE 42601 and other class 42 errors (bad SQL, unknown table or column).
        public static let syntaxOrAccess = Code("syntax_or_access_error")
        /// SQLSTATE class 57P (admin shutdown, crash) and 08: the server went away.
        public static let connectionLost = Code("connection_lost")
        /// A new connection could not be established (or timed out).
        public static let connectionFailed = Code("connection_failed")
        /// Any other server error; see `sqlState`.
        public static let serverError = Code("server_error")
        /// A value in a result could not be decoded into the requested Swift type.
        public static let decodingFailed = Code("decoding_failed")
        /// The pool had no connection available within the acquire timeout.
        public static let poolTimeout = Code("pool_timeout")
        /// The pool or listener was shut down.
        public static let closed = Code("closed")
        /// The connection URL could not be parsed by libpq.
        public static let invalidURL = Code("invalid_url")
        /// A COPY was used the wrong way (e.g. the statement did not start a COPY).
        public static let copyFailed = Code("copy_failed")
        /// libpq reported an error without a server SQLSTATE.
        public static let clientError = Code("client_error")

        public var description: String { rawValue }

        /// The code for a SQLSTATE.
        /// - Parameter sqlState: five characters, e.g. `23505`.
        public static func forSQLState(_ sqlState: String) -> Code {
            switch sqlState {
            case "23505": .uniqueViolation
            case "23503": .foreignKeyViolation
            case "23514": .checkViolation
            case "23502": .notNullViolation
            case "23P01": .exclusionViolation
            case "40001": .serializationFailure
            case "40P01": .deadlockDetected
            case "57014": .queryCanceled
            default:
                if sqlState.hasPrefix("22") {
                    .dataException
                } else if sqlState.hasPrefix("42") {
                    .syntaxOrAccess
                } else if sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") {
                    .connectionLost
                } else {
                    .serverError
                }
            }
        }
    }

    /// The stable classification.
    public var code: Code
    /// The five-character SQLSTATE when the server sent one.
    public var sqlState: String?
    /// The server's (or libpq's) primary message.
    public var message: String
    /// The constraint the error names, if any.
    public var constraint: String?
    /// The table the error names, if any.
    public var table: String?
    /// The column the error names, if any.
    public var column: String?
    /// The server's DETAIL; may contain row values, so only in `debugDescription`.
    public var detail: String?
    /// The server's HINT.
    public var hint: String?
    /// The statement text (never its parameter values).
    public var statement: String?

    /// Creates an error.
    public init(
        code: Code, sqlState: String? = nil, message: String, constraint: String? = nil,
        table: String? = nil, column: String? = nil, detail: String? = nil, hint: String? = nil,
        statement: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
        self.table = table
        self.column = column
        self.detail = detail
        self.hint = hint
        self.statement = statement
    }

    public var description: String {
        var text = "PGError.\(code)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        text += ": " + (code == .dataException ? Self.redactQuoted(message) : message)
        if let constraint { text += " [constraint \(constraint)]" }
        if let table { text += " [table \(table)]" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        if let statement { text += "\nSTATEMENT: \(statement)" }
        return text
    }

    /// Replaces every `"…"` fragment with `"…"` so echoed input values never reach a log.
    static func redactQuoted(_ message: String) -> String {
        var result = ""
        var inQuote = false
        for character in message {
            if character == "\"" {
                result.append(inQuote ? "…\"" : "\"")
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        return result
    }
}
