extension UnsafeRawBufferPointer {
    func bigEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

extension PGField {
    func requireBytes() throws(PGError) -> UnsafeRawBufferPointer {
        guard let bytes else { throw error("unexpected NULL") }
        return bytes
    }

    func integer() throws(PGError) -> Int64 {
        let bytes = try requireBytes()
        switch type {
        case .int2 where bytes.count == 2: return Int64(bytes.bigEndian(Int16.self, at: 0))
        case .int4 where bytes.count == 4: return Int64(bytes.bigEndian(Int32.self, at: 0))
        case .int8 where bytes.count == 8: return bytes.bigEndian(Int64.self, at: 0)
        case .oid where bytes.count == 4: return Int64(bytes.bigEndian(UInt32.self, at: 0))
        default: throw error("not an integer column")
        }
    }
}

extension String: PGEncodable, PGDecodable, PGArrayElement {
    public var pgParameter: PGParameter { .text(self) }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        if field.type.isTextual || field.type == .jsonb && bytes.first == 1 {
            let start = field.type == .jsonb ? 1 : 0
            self = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
            return
        }
        switch field.type {
        case .uuid: self = try PGUUID(pgField: field).description
        case .inet, .cidr: self = try PGInet(pgField: field).description
        case .numeric: self = try PGNumeric(pgField: field).text
        case .int2, .int4, .int8: self = String(try field.integer())
        default: throw field.error("cannot be read as String")
        }
    }
    public static var pgArrayType: PGTypeOID { .textArray }
    public var pgArrayLiteralElement: String { self }
}

extension Int: PGEncodable, PGDecodable, PGArrayElement {
    public var pgParameter: PGParameter { .text(String(self)) }
    public init(pgField field: PGField) throws(PGError) { self = Int(try field.integer()) }
    public static var pgArrayType: PGTypeOID { .int8Array }
    public var pgArrayLiteralElement: String { String(self) }
}

extension Int64: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(String(self)) }
    public init(pgField field: PGField) throws(PGError) { self = try field.integer() }
}

extension Int32: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(String(self)) }
    public init(pgField field: PGField) throws(PGError) {
        let value = try field.integer()
        guard let narrowed = Int32(exactly: value) else { throw field.error("value out of Int32 range") }
        self = narrowed
    }
}

extension Int16: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(String(self)) }
    public init(pgField field: PGField) throws(PGError) {
        let value = try field.integer()
        guard let narrowed = Int16(exactly: value) else { throw field.error("value out of Int16 range") }
        self = narrowed
    }
}

extension Bool: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(self ? "t" : "f") }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .bool, bytes.count == 1 else { throw field.error("not a bool column") }
        self = bytes[0] != 0
    }
}

extension Double: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(description)
    }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        switch field.type {
        case .float8 where bytes.count == 8: self = Double(bitPattern: bytes.bigEndian(UInt64.self, at: 0))
        case .float4 where bytes.count == 4: self = Double(Float(bitPattern: bytes.bigEndian(UInt32.self, at: 0)))
        case .numeric:
            guard let value = try PGNumeric(pgField: field).doubleValue else { throw field.error("not a number") }
            self = value
        case .int2, .int4, .int8: self = Double(try field.integer())
        default: throw field.error("not a floating-point column")
        }
    }
}

extension PGBytes: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { PGParameter(bytes: bytes, format: .binary, type: .bytea) }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .bytea else { throw field.error("not a bytea column") }
        self.init(Array(bytes))
    }
}

extension PGUUID: PGEncodable, PGDecodable, PGArrayElement {
    public var pgParameter: PGParameter {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        return PGParameter(bytes: bytes, format: .binary, type: .uuid)
    }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .uuid, bytes.count == 16 else { throw field.error("not a uuid column") }
        self.init(high: bytes.bigEndian(UInt64.self, at: 0), low: bytes.bigEndian(UInt64.self, at: 8))
    }
    public static var pgArrayType: PGTypeOID { .uuidArray }
    public var pgArrayLiteralElement: String { description }
}

extension PGTimestamp: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter {
        let value = UInt64(bitPattern: microsecondsSinceEpoch - Self.postgresEpochOffset)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
        return PGParameter(bytes: bytes, format: .binary, type: .timestamptz)
    }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .timestamptz || field.type == .timestamp, bytes.count == 8 else {
            throw field.error("not a timestamp column")
        }
        let raw = bytes.bigEndian(Int64.self, at: 0)
        // ±infinity are sent as Int64.max/min; keep them as the extremes.
        if raw == .max || raw == .min {
            self.init(microsecondsSinceEpoch: raw)
        } else {
            self.init(microsecondsSinceEpoch: raw + Self.postgresEpochOffset)
        }
    }
}

extension PGNumeric: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(text) }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .numeric, bytes.count >= 8 else { throw field.error("not a numeric column") }
        let count = Int(bytes.bigEndian(Int16.self, at: 0))
        let weight = Int(bytes.bigEndian(Int16.self, at: 2))
        let sign = bytes.bigEndian(UInt16.self, at: 4)
        let scale = Int(bytes.bigEndian(Int16.self, at: 6))
        switch sign {
        case 0xC000:
            self.init("NaN")
            return
        case 0xD000:
            self.init("Infinity")
            return
        case 0xF000:
            self.init("-Infinity")
            return
        default: break
        }
        guard bytes.count == 8 + 2 * count else { throw field.error("malformed numeric") }
        func digit(_ index: Int) -> Int {
            index >= 0 && index < count ? Int(bytes.bigEndian(Int16.self, at: 8 + 2 * index)) : 0
        }
        // Base-10000 digits; digit i has weight (weight - i).
        var integerPart = ""
        if weight < 0 {
            integerPart = "0"
        } else {
            for index in 0...weight {
                let value = digit(index)
                if integerPart.isEmpty {
                    integerPart = String(value)
                } else {
                    let text = String(value)
                    integerPart += String(repeating: "0", count: 4 - text.count) + text
                }
            }
        }
        var fraction = ""
        if scale > 0 {
            var index = weight + 1
            while fraction.count < scale {
                let text = String(digit(index))
                fraction += String(repeating: "0", count: 4 - text.count) + text
                index += 1
            }
            fraction = String(fraction.prefix(scale))
        }
        let magnitude = fraction.isEmpty ? integerPart : integerPart + "." + fraction
        self.init(sign == 0x4000 ? "-" + magnitude : magnitude)
    }
}

extension PGInet: PGEncodable, PGDecodable {
    public var pgParameter: PGParameter { .text(description) }
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard field.type == .inet || field.type == .cidr, bytes.count >= 4 else {
            throw field.error("not an inet column")
        }
        let length = Int(bytes[3])
        guard length == 4 || length == 16, bytes.count == 4 + length else { throw field.error("malformed inet") }
        self.init(address: Array(bytes[4..<(4 + length)]), prefixLength: bytes[1])
    }
}

extension Optional: PGEncodable where Wrapped: PGEncodable {
    /// `nil` is sent as SQL NULL by the statement runner, never through this property.
    public var pgParameter: PGParameter { self?.pgParameter ?? PGParameter(bytes: []) }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    public init(pgField field: PGField) throws(PGError) {
        self = field.bytes == nil ? nil : try Wrapped(pgField: field)
    }
}

extension Array: PGEncodable where Element: PGArrayElement {
    /// An array literal such as `{"a","b\"c"}`, typed as the element's array type.
    public var pgParameter: PGParameter {
        var literal = "{"
        for (index, element) in enumerated() {
            if index > 0 { literal += "," }
            literal += "\""
            for character in element.pgArrayLiteralElement {
                if character == "\"" || character == "\\" { literal += "\\" }
                literal.append(character)
            }
            literal += "\""
        }
        literal += "}"
        return PGParameter(bytes: [UInt8](literal.utf8), type: Element.pgArrayType)
    }
}

extension Array: PGDecodable where Element: PGArrayElement {
    public init(pgField field: PGField) throws(PGError) {
        let bytes = try field.requireBytes()
        guard bytes.count >= 12 else { throw field.error("malformed array") }
        let dimensions = Int(bytes.bigEndian(Int32.self, at: 0))
        let elementType = PGTypeOID(bytes.bigEndian(UInt32.self, at: 8))
        if dimensions == 0 {
            self = []
            return
        }
        guard dimensions == 1, bytes.count >= 20 else { throw field.error("only one-dimensional arrays are supported") }
        let count = Int(bytes.bigEndian(Int32.self, at: 12))
        var offset = 20
        var result: [Element] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            guard offset + 4 <= bytes.count else { throw field.error("malformed array") }
            let length = Int(bytes.bigEndian(Int32.self, at: offset))
            offset += 4
            if length < 0 { throw field.error("array contains NULL") }
            guard offset + length <= bytes.count else { throw field.error("malformed array") }
            let element = PGField(
                type: elementType, columnName: field.columnName,
                bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
            result.append(try Element(pgField: element))
            offset += length
        }
        self = result
    }
}
