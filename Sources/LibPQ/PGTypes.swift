/// Type OIDs of the built-in Postgres types this layer encodes and decodes.
public struct PGTypeOID: Hashable, Sendable, CustomStringConvertible {
    /// The numeric OID.
    public let rawValue: UInt32
    /// Wraps an OID.
    /// - Parameter rawValue: the OID from `pg_type`.
    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Let the server infer the type from the statement.
    public static let unspecified = PGTypeOID(0)
    public static let bool = PGTypeOID(16)
    public static let bytea = PGTypeOID(17)
    public static let name = PGTypeOID(19)
    public static let int8 = PGTypeOID(20)
    public static let int2 = PGTypeOID(21)
    public static let int4 = PGTypeOID(23)
    public static let text = PGTypeOID(25)
    public static let oid = PGTypeOID(26)
    public static let json = PGTypeOID(114)
    public static let float4 = PGTypeOID(700)
    public static let float8 = PGTypeOID(701)
    public static let unknown = PGTypeOID(705)
    public static let cidr = PGTypeOID(650)
    public static let inet = PGTypeOID(869)
    public static let bpchar = PGTypeOID(1042)
    public static let varchar = PGTypeOID(1043)
    public static let date = PGTypeOID(1082)
    public static let timestamp = PGTypeOID(1114)
    public static let timestamptz = PGTypeOID(1184)
    public static let numeric = PGTypeOID(1700)
    public static let uuid = PGTypeOID(2950)
    public static let jsonb = PGTypeOID(3802)
    public static let textArray = PGTypeOID(1009)
    public static let varcharArray = PGTypeOID(1015)
    public static let int2Array = PGTypeOID(1005)
    public static let int4Array = PGTypeOID(1007)
    public static let int8Array = PGTypeOID(1016)
    public static let uuidArray = PGTypeOID(2951)

    public var description: String { "oid \(rawValue)" }

    /// Whether values of this type are UTF-8 text in binary format as well.
    var isTextual: Bool {
        self == .text || self == .varchar || self == .bpchar || self == .name || self == .unknown
            || self == .json
    }
}

/// A parameter ready to be sent: its bytes, whether they are text or binary, and its type.
public struct PGParameter: Sendable {
    /// Wire format of `bytes`.
    public enum Format: Int32, Sendable {
        /// Text representation, as in SQL literals.
        case text = 0
        /// The type's binary `send` representation.
        case binary = 1
    }

    /// The encoded value.
    public var bytes: [UInt8]
    /// How `bytes` are encoded.
    public var format: Format
    /// The declared type; `.unspecified` lets the server infer it.
    public var type: PGTypeOID

    /// Creates a parameter.
    /// - Parameters:
    ///   - bytes: the encoded value.
    ///   - format: default `.text`.
    ///   - type: default `.unspecified`.
    public init(bytes: [UInt8], format: Format = .text, type: PGTypeOID = .unspecified) {
        self.bytes = bytes
        self.format = format
        self.type = type
    }

    /// A text-format parameter whose type the server infers.
    /// - Parameter text: the SQL literal text of the value.
    public static func text(_ text: String) -> PGParameter {
        PGParameter(bytes: Array(text.utf8))
    }
}

/// A Swift value that can be bound to a `$n` placeholder.
public protocol PGEncodable: Sendable {
    /// The value as a parameter.
    var pgParameter: PGParameter { get }
}

/// One field of a result row, in binary format, as handed to ``PGDecodable``.
public struct PGField {
    /// The column's type.
    public let type: PGTypeOID
    /// The column's name.
    public let columnName: String
    /// The bytes, `nil` for SQL NULL. Valid only during the decode call.
    public let bytes: UnsafeRawBufferPointer?

    func error(_ message: String) -> PGError {
        PGError(code: .decodingFailed, message: "column \"\(columnName)\" (\(type)): \(message)")
    }
}

/// A Swift value that can be read from a result column.
public protocol PGDecodable {
    /// Decodes a field.
    /// - Parameter field: the column's type and binary bytes (`nil` for NULL).
    init(pgField field: PGField) throws(PGError)
}

/// Types that may appear as elements of a one-dimensional array column or parameter.
public protocol PGArrayElement: PGDecodable, PGEncodable {
    /// The element type's array OID, e.g. `text[]` for `String`.
    static var pgArrayType: PGTypeOID { get }
    /// The element as it appears inside an array literal (before quoting).
    var pgArrayLiteralElement: String { get }
}
