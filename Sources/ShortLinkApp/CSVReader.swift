/// A small RFC 4180 reader: comma-separated fields, double-quoted fields that may hold
/// commas, quotes (`""`) and line breaks, CRLF or LF line ends, an optional UTF-8 BOM.
struct CSVReader {
    /// One record and the line it started on (1-based).
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Parses a whole document.
    /// - Parameter text: the file's text.
    /// - Returns: the records, blank lines skipped; throws on an unterminated quote.
    static func parse(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldStarted = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldStarted = false
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if inQuotes {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
            } else {
                switch scalar {
                case "\"" where !fieldStarted:
                    inQuotes = true
                    fieldStarted = true
                case ",":
                    fields.append(field)
                    field = ""
                    fieldStarted = false
                case "\r" where index + 1 < scalars.count && scalars[index + 1] == "\n":
                    break
                case "\n", "\r":
                    endRecord()
                    line += 1
                    recordLine = line
                default:
                    field.unicodeScalars.append(scalar)
                    fieldStarted = true
                }
            }
            index += 1
        }
        guard !inQuotes else {
            throw AppError(code: .invalidInput, message: "line \(recordLine): a quoted field is not closed")
        }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
