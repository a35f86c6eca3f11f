import LibPQ
import ShortLinkCore

/// Encodes ``StoredClick``s as rows of `COPY clicks (…) FROM STDIN` in text format.
enum ClickCopyEncoder {
    /// The column list, in the order rows are encoded.
    static let columns =
        #"(id, link_id, "timestamp", ip_address, user_agent, country, city, is_bot, bot_reason, referrer, device, browser, os, visitor_hash)"#

    /// Appends one row (newline-terminated).
    static func append(_ click: StoredClick, to buffer: inout [UInt8]) {
        appendRaw(click.id.description, to: &buffer)
        tab(&buffer)
        appendRaw(click.linkID.description, to: &buffer)
        tab(&buffer)
        appendRaw(click.timestamp.iso8601, to: &buffer)
        tab(&buffer)
        appendText(click.ipAddress?.description, to: &buffer)
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
        appendText(click.visitorHash.map { String($0) }, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
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
