/// The committed OpenAPI document as served: its top-level `servers` replaced by the one this
/// deployment answers at (``AdminConfiguration/publicURL``; without one the committed relative
/// `/` stays), the rest
/// left byte for byte as committed (member order included, so diffs against the file stay readable).
enum OpenAPIDocument {
    /// The served bytes.
    /// - Parameters:
    ///   - committed: the document in the repository.
    ///   - publicURL: the admin API's public URL; `nil` serves the relative server `/`.
    static func served(_ committed: [UInt8], publicURL: String?) -> [UInt8] {
        // The committed document already names the relative server.
        guard let publicURL else { return committed }
        let server: JSONValue = ["url": .string(publicURL)]
        let servers = Array(JSONValue.array([server]).serialized.utf8)
        guard let range = topLevelValueRange(of: "servers", in: committed) else { return committed }
        return Array(committed[..<range.lowerBound]) + servers + Array(committed[range.upperBound...])
    }

    /// Where the value of a member of the top-level object starts and ends, found by a scan that
    /// knows strings and nesting (so a `"servers"` inside a description or a nested object is not it).
    /// Only array and object values are found (all `servers` can be).
    static func topLevelValueRange(of key: String, in bytes: [UInt8]) -> Range<Int>? {
        let quote = UInt8(ascii: "\"")
        let backslash = UInt8(ascii: "\\")
        var depth = 0
        var index = 0
        var pendingKey: [UInt8]?
        var valueStart: Int?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != quote {
                    index += bytes[index] == backslash ? 2 : 1
                }
                if depth == 1, valueStart == nil { pendingKey = Array(bytes[(start + 1)..<min(index, bytes.count)]) }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ":") where depth == 1 && valueStart == nil:
                if pendingKey == Array(key.utf8) {
                    var start = index + 1
                    while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
                    valueStart = start
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if let start = valueStart, depth == 1 { return start..<(index + 1) }
                if depth == 0 { return nil }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
