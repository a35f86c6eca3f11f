public import ShortLinkCore

extension ClickExport {
    /// Short codes by link id, spliced into the clicks report's rows as they stream.
    public struct ShortCodes: Sendable {
        let codes: [EntityID: [UInt8]]

        /// - Parameters:
        ///   - links: (id, short code) of the links the export can meet.
        ///   - raw: keep a code that starts with `-` as it is; by default it gets a `'` in
        ///     front, as the other text columns do (see ``ClickExport``).
        public init(_ links: [(EntityID, String)], raw: Bool = false) {
            var codes: [EntityID: [UInt8]] = [:]
            codes.reserveCapacity(links.count)
            for (id, code) in links {
                let bytes = Array(code.utf8)
                codes[id] = !raw && bytes.first.map(Self.startsFormula) == true ? [UInt8(ascii: "'")] + bytes : bytes
            }
            self.codes = codes
        }

        /// Whether a cell starting with `byte` is a formula to a spreadsheet.
        static func startsFormula(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: true
            default: false
            }
        }

        /// The id in a canonical UUID text (lower-case hex, dashes at 8, 13, 18, 23), read
        /// without building a string: this runs once per exported row.
        static func id(_ text: UnsafeRawBufferPointer) -> EntityID? {
            guard text.count == 36 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            var digits = 0
            for index in 0..<36 {
                let byte = text[index]
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value: UInt64
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
                default: return nil
                }
                if digits < 16 { high = high << 4 | value } else { low = low << 4 | value }
                digits += 1
            }
            return EntityID(high: high, low: low)
        }

        /// The header row of the report.
        public static var header: [UInt8] { Array((ClickExport.clickColumns.joined(separator: ",") + "\n").utf8) }

        // A row starts with the click id (36 bytes), its time (27: the to_char format
        // above) and the link id (36), each unquoted and followed by a comma.
        static let linkRange = 65..<101

        /// Appends `row` with the link's short code after the link id. A code is
        /// `[A-Za-z0-9_-]` (with a leading `'` when neutralised), so it never needs quotes; a link the map does not know (created
        /// after the export began) gets an empty field.
        public func insert(_ row: UnsafeRawBufferPointer, into output: inout [UInt8]) {
            guard row.count > Self.linkRange.upperBound, row[Self.linkRange.upperBound] == UInt8(ascii: ",") else {
                output.append(contentsOf: row)
                return
            }
            let split = Self.linkRange.upperBound
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[..<split]))
            output.append(UInt8(ascii: ","))
            if let id = Self.id(UnsafeRawBufferPointer(rebasing: row[Self.linkRange])), let code = codes[id] {
                output.append(contentsOf: code)
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[split...]))
        }
    }
}
