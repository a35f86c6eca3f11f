import LibPQ
import ShortLinkCore

/// The `COPY` export of ``PostgresLinkSource/loadAll(_:)``: its statement and the decoding
/// of one text-format line into a ``LinkTarget``.
///
/// Decoding works on the raw bytes: no per-row field array, and Strings only for the code
/// and the URL (unescaped only when they contain a backslash). This is the hot loop of
/// the edge's preload, a million rows at startup.
enum LinkTargetCopyRow {
    /// Every link's redirect fields. `expires_at` travels as whole microseconds since the
    /// Unix epoch (exact: `extract` returns numeric, and the column is finite by its CHECK),
    /// which is cheaper to parse than timestamp text and independent of the session's
    /// `DateStyle` and `TimeZone`.
    static let statement = """
        COPY (SELECT id, short_code, original_url, redirect_status, forward_query,
                     (extract(epoch FROM expires_at) * 1000000)::bigint
              FROM links) TO STDOUT
        """

    /// Decodes one line. Errors name the row number and the column, never a value.
    /// - Parameters:
    ///   - line: one text-format row, with or without its newline.
    ///   - row: the 1-based row number, for the error message.
    static func parse(_ line: UnsafeRawBufferPointer, row: Int) throws(PGError) -> LinkTarget {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        var fields = FieldReader(bytes: UnsafeRawBufferPointer(rebasing: line[0..<end]))
        guard let idField = fields.next(), let id = uuid(idField) else { throw malformed(row, "id is not a uuid") }
        guard let codeField = fields.next(), let code = text(codeField), ShortCode.isValid(code.utf8) else {
            throw malformed(row, "short_code is not a valid code")
        }
        guard let urlField = fields.next(), let url = text(urlField), !url.isEmpty else {
            throw malformed(row, "original_url is missing")
        }
        guard let statusField = fields.next(), let statusCode = integer(statusField),
            let status = RedirectStatus(rawValue: Int(statusCode))
        else {
            throw malformed(row, "redirect_status is not one of 301, 302, 307, 308")
        }
        guard let forwardField = fields.next(), forwardField.count == 1,
            forwardField[0] == UInt8(ascii: "t") || forwardField[0] == UInt8(ascii: "f")
        else {
            throw malformed(row, "forward_query is not a boolean")
        }
        guard let expiresField = fields.next() else { throw malformed(row, "has 5 fields, expected 6") }
        var expiresAt: Timestamp?
        if !isNull(expiresField) {
            guard let microseconds = integer(expiresField) else {
                throw malformed(row, "expires_at is not microseconds since the epoch")
            }
            expiresAt = Timestamp(microsecondsSinceEpoch: microseconds)
        }
        guard fields.next() == nil else { throw malformed(row, "has more than 6 fields") }
        return LinkTarget(
            id: id, code: code, url: url, status: status, forwardQuery: forwardField[0] == UInt8(ascii: "t"),
            expiresAt: expiresAt)
    }

    /// The tab-separated raw (still escaped) fields of one line.
    struct FieldReader {
        let bytes: UnsafeRawBufferPointer
        var position = 0
        var done = false

        mutating func next() -> UnsafeRawBufferPointer? {
            guard !done else { return nil }
            let end = bytes[position...].firstIndex(of: UInt8(ascii: "\t")) ?? bytes.count
            defer {
                if end == bytes.count { done = true }
                position = end + 1
            }
            return UnsafeRawBufferPointer(rebasing: bytes[position..<end])
        }
    }

    /// COPY's NULL marker `\N`.
    static func isNull(_ field: UnsafeRawBufferPointer) -> Bool {
        field.count == 2 && field[0] == UInt8(ascii: "\\") && field[1] == UInt8(ascii: "N")
    }

    /// The field as text, `nil` for NULL. A field has no raw tab or newline, so the
    /// escaping decoder of `PGCopyText` sees exactly one field.
    static func text(_ field: UnsafeRawBufferPointer) -> String? {
        if isNull(field) { return nil }
        if !field.contains(UInt8(ascii: "\\")) { return String(decoding: field, as: UTF8.self) }
        return PGCopyText.parseRow(field).first ?? nil
    }

    /// A decimal integer (optional leading `-`), `nil` for anything else or on overflow.
    static func integer(_ field: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = field.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < field.count else { return nil }
        var value: Int64 = 0
        while index < field.count {
            let digit = field[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? shifted.subtractingReportingOverflow(Int64(digit)) : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A uuid in Postgres' output form (lowercase `8-4-4-4-12` hex), read without
    /// making a String first.
    static func uuid(_ field: UnsafeRawBufferPointer) -> EntityID? {
        guard field.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        for index in 0..<36 {
            let byte = field[index]
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if nibbles < 16 { high = high << 4 | UInt64(value) } else { low = low << 4 | UInt64(value) }
            nibbles += 1
        }
        return EntityID(high: high, low: low)
    }

    private static func malformed(_ row: Int, _ problem: String) -> PGError {
        PGError(code: .decodingFailed, message: "links export row \(row): \(problem)")
    }
}
