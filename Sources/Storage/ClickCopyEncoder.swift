import LibPQ
import ShortLinkCore

/// Encodes ``StoredClick``s as rows of `COPY clicks (…) FROM STDIN` in text format.
///
/// Ids, the time, an IPv4 address and the visitor hash are written digit by digit into the
/// buffer: building a `String` for each (as their `description`s do) was most of the
/// encoding's 3.4 µs per click (`scripts/bench-enrichment`). The text is the same as
/// those descriptions give (`ClickCopyEncoderTests` compares them).
enum ClickCopyEncoder {
    /// The column list, in the order rows are encoded.
    static let columns =
        #"(id, link_id, "timestamp", ip_address, user_agent, country, city, is_bot, bot_reason, referrer, device, browser, os, visitor_hash)"#

    /// Appends one row (newline-terminated).
    static func append(_ click: StoredClick, to buffer: inout [UInt8]) {
        appendUUID(click.id, to: &buffer)
        tab(&buffer)
        appendUUID(click.linkID, to: &buffer)
        tab(&buffer)
        appendTimestamp(click.timestamp, to: &buffer)
        tab(&buffer)
        appendAddress(click.ipAddress, to: &buffer)
        tab(&buffer)
        appendText(click.userAgent, to: &buffer)
        tab(&buffer)
        appendText(click.country, to: &buffer)
        tab(&buffer)
        appendText(click.city, to: &buffer)
        tab(&buffer)
        buffer.append(click.verdict.isBot ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        tab(&buffer)
        appendText(click.verdict.reason, to: &buffer)
        tab(&buffer)
        appendText(click.referrer, to: &buffer)
        tab(&buffer)
        appendText(click.device, to: &buffer)
        tab(&buffer)
        appendText(click.browser, to: &buffer)
        tab(&buffer)
        appendText(click.os, to: &buffer)
        tab(&buffer)
        if let hash = click.visitorHash { appendDecimal(hash, to: &buffer) } else { appendText(nil, to: &buffer) }
        buffer.append(UInt8(ascii: "\n"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Canonical lowercase form, as ``EntityID/description``.
    static func appendUUID(_ id: EntityID, to buffer: inout [UInt8]) {
        hexDigits.withUnsafeBufferPointer { digits in
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 { buffer.append(UInt8(ascii: "-")) }
                let word = nibble < 16 ? id.high : id.low
                buffer.append(digits[Int((word >> UInt64(60 - 4 * (nibble % 16))) & 0xF)])
            }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as ``Timestamp/iso8601`` (years 0–9999).
    static func appendTimestamp(_ time: Timestamp, to buffer: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var days = time.microsecondsSinceEpoch / perDay
        var rest = time.microsecondsSinceEpoch % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        let (year, month, day) = Timestamp.civil(fromDays: days)
        guard (0...9999).contains(year) else {
            buffer.append(contentsOf: time.iso8601.utf8)
            return
        }
        let seconds = rest / 1_000_000
        appendPadded(year, 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(month, 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendPadded(day, 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendPadded(seconds / 3600, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds / 60 % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendPadded(seconds % 60, 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendPadded(rest % 1_000_000, 6, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    /// Dotted quad for IPv4; IPv6 (rare on this path) through its description; `\N` for none.
    static func appendAddress(_ address: IPAddress?, to buffer: inout [UInt8]) {
        guard let address else {
            appendText(nil, to: &buffer)
            return
        }
        guard let v4 = address.ipv4 else {
            appendRaw(address.description, to: &buffer)
            return
        }
        for index in 0..<4 {
            if index > 0 { buffer.append(UInt8(ascii: ".")) }
            appendDecimal(Int64((v4 >> UInt32(24 - 8 * index)) & 0xFF), to: &buffer)
        }
    }

    /// `value` in decimal, with a `-` when negative.
    static func appendDecimal(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(scratch[index]) }
        }
    }

    /// `value` (non-negative, below 10^width) zero-padded to `width` digits.
    private static func appendPadded(_ value: Int64, _ width: Int, to buffer: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    @inline(__always)
    private static func tab(_ buffer: inout [UInt8]) { buffer.append(UInt8(ascii: "\t")) }

    /// Values that never need escaping (uuids, times, numbers).
    private static func appendRaw(_ value: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: value.utf8)
    }

    private static func appendText(_ value: String?, to buffer: inout [UInt8]) {
        PGCopyText.appendField(value, to: &buffer)
    }
}
