/// The request headers the edge captures with every click: the one list the parser, the
/// capture record, ``ClickEvent`` and the pipeline derive theirs from.
///
/// The order is the order of the fields in a ``ClickRecord`` (the on-disk journal format):
/// append new headers at the end and bump ``ClickRecord/version``.
public enum CapturedHeader: Int, CaseIterable, Sendable, Hashable {
    /// `User-Agent`.
    case userAgent
    /// `Referer`.
    case referer
    /// `Accept-Language`.
    case acceptLanguage
    /// `Sec-Purpose` (Chrome's prefetch/prerender marker).
    case secPurpose
    /// `Purpose` (older prefetch marker).
    case purpose
    /// `X-Purpose` (Safari's preview marker).
    case xPurpose
    /// `X-Moz` (Firefox's prefetch marker).
    case xMoz

    /// Number of captured headers.
    public static let count = 7

    /// The field name as sent on the wire (matched without regard to case).
    public var name: String {
        switch self {
        case .userAgent: "User-Agent"
        case .referer: "Referer"
        case .acceptLanguage: "Accept-Language"
        case .secPurpose: "Sec-Purpose"
        case .purpose: "Purpose"
        case .xPurpose: "X-Purpose"
        case .xMoz: "X-Moz"
        }
    }
}

/// One optional value per ``CapturedHeader``, stored inline (no array, no allocation), so
/// the parser and the capture path can carry them without building anything.
public struct CapturedHeaders<Value> {
    @usableFromInline
    var values: (Value?, Value?, Value?, Value?, Value?, Value?, Value?)

    /// Every header absent.
    @inlinable
    public init() {
        values = (nil, nil, nil, nil, nil, nil, nil)
    }

    /// The value of one header; `nil` when it was absent.
    @inlinable
    public subscript(header: CapturedHeader) -> Value? {
        get {
            switch header {
            case .userAgent: values.0
            case .referer: values.1
            case .acceptLanguage: values.2
            case .secPurpose: values.3
            case .purpose: values.4
            case .xPurpose: values.5
            case .xMoz: values.6
            }
        }
        set {
            switch header {
            case .userAgent: values.0 = newValue
            case .referer: values.1 = newValue
            case .acceptLanguage: values.2 = newValue
            case .secPurpose: values.3 = newValue
            case .purpose: values.4 = newValue
            case .xPurpose: values.5 = newValue
            case .xMoz: values.6 = newValue
            }
        }
    }

    /// Calls `body` with each value in ``CapturedHeader`` order (the record order).
    @inlinable
    public func forEach(_ body: (Value?) throws -> Void) rethrows {
        try body(values.0)
        try body(values.1)
        try body(values.2)
        try body(values.3)
        try body(values.4)
        try body(values.5)
        try body(values.6)
    }

    /// The same headers with each present value transformed.
    @inlinable
    public func map<Other>(_ transform: (Value) throws -> Other) rethrows -> CapturedHeaders<Other> {
        var result = CapturedHeaders<Other>()
        result.values = (
            try values.0.map(transform), try values.1.map(transform), try values.2.map(transform),
            try values.3.map(transform), try values.4.map(transform), try values.5.map(transform),
            try values.6.map(transform)
        )
        return result
    }
}

extension CapturedHeaders: Sendable where Value: Sendable {}

extension CapturedHeaders: Equatable where Value: Equatable {
    @inlinable
    public static func == (lhs: Self, rhs: Self) -> Bool {
        CapturedHeader.allCases.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

extension CapturedHeaders: Hashable where Value: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        forEach { hasher.combine($0) }
    }
}
