import Foundation
import ShortLinkCore

/// A URL's host as a browser understands it (the WHATWG URL standard's host parser, for the
/// parts that decide where a redirect goes), so a self-loop check compares what the visitor's
/// browser will connect to, not the text someone typed.
///
/// - IPv6 literals (`[::1]`, `[::ffff:127.0.0.1]`) become an ``IPAddress``; IPv4-mapped ones
///   compare equal to the IPv4 address.
/// - A host whose last label is a number is an IPv4 address in one of the forms browsers
///   accept: 1 to 4 parts, each decimal, octal (leading `0`) or hex (`0x`), the last part
///   filling the remaining bytes (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.1`). One that
///   does not parse is no host at all (browsers refuse the URL).
/// - Other names are compatibility-mapped (NFKC: fullwidth `ｌｏｃａｌｈｏｓｔ` is `localhost`),
///   lowercased, with the ideographic full stops read as dots and trailing dots dropped.
enum URLHost: Hashable, Sendable {
    /// An IPv4 or IPv6 address (IPv4 held mapped, as ``IPAddress`` does).
    case address(IPAddress)
    /// A domain name, normalised.
    case name(String)

    /// Parses the host part of an authority (no userinfo, no port).
    /// - Parameter text: `example.com`, `127.1`, `[::1]`…
    /// - Returns: `nil` when browsers would refuse it.
    init?(_ text: some StringProtocol) {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count > 2 else { return nil }
            let inner = text.dropFirst().dropLast()
            guard inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), let address = IPAddress(inner) else { return nil }
            self = .address(address)
            return
        }
        var name = String(text).precomposedStringWithCompatibilityMapping.lowercased()
        for dot in ["\u{3002}", "\u{FF0E}", "\u{FF61}"] { name = name.replacingOccurrences(of: dot, with: ".") }
        var labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // WHATWG: one trailing empty label is ignored when looking for a number.
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        if let last = labels.last, Self.isNumber(last) {
            guard let value = Self.ipv4(labels) else { return nil }
            self = .address(IPAddress(ipv4: value))
            return
        }
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { return nil }
        self = .name(name)
    }

    /// Whether a label is a number in the WHATWG sense (decimal digits, or `0x` and hex digits).
    static func isNumber(_ label: Substring) -> Bool {
        if !label.isEmpty, label.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let lower = label.lowercased()
        return lower.hasPrefix("0x") && lower.dropFirst(2).allSatisfy({ $0.isASCII && $0.isHexDigit })
    }

    /// The WHATWG IPv4 parser: `nil` when a part is not a number or a value is out of range.
    static func ipv4(_ labels: [Substring]) -> UInt32? {
        guard (1...4).contains(labels.count) else { return nil }
        var numbers: [UInt64] = []
        for label in labels {
            guard let number = part(label) else { return nil }
            numbers.append(number)
        }
        for number in numbers.dropLast() where number > 255 { return nil }
        let lastLimit: UInt64 = 1 << (8 * UInt64(5 - numbers.count))
        guard numbers.last! < lastLimit else { return nil }
        var value = numbers.last!
        for (index, number) in numbers.dropLast().enumerated() { value += number << (8 * UInt64(3 - index)) }
        return UInt32(value)
    }

    /// One IPv4 part: `0x…` hex, `0…` octal, else decimal; `nil` for anything else or absurd lengths.
    static func part(_ label: Substring) -> UInt64? {
        guard !label.isEmpty, label.count <= 40 else { return nil }
        var digits = label
        var radix = 10
        if digits.count >= 2, digits.lowercased().hasPrefix("0x") {
            digits = digits.dropFirst(2)
            radix = 16
            if digits.isEmpty { return 0 }
        } else if digits.count >= 2, digits.hasPrefix("0") {
            digits = digits.dropFirst()
            radix = 8
        }
        guard let value = UInt64(digits, radix: radix) else { return nil }
        return value
    }
}
