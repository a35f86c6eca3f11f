/// The start of a device model name with placeholders: `#` is a digit, `@` a letter, and a
/// final `$` requires the model to end there. `lg-v#` matches `lg-v500`; `kf@@@$` matches
/// `kfott` but not `kfottx`.
struct ModelShape: Sendable {
    private let elements: [UInt8]
    private let endsModel: Bool

    /// Parses a shape.
    /// - Parameter text: the shape, lowercase.
    init(_ text: String) {
        var bytes = Array(text.utf8)
        endsModel = bytes.last == UInt8(ascii: "$")
        if endsModel { bytes.removeLast() }
        elements = bytes
    }

    /// Whether `model` starts with this shape.
    /// - Parameter model: a lowercased device model.
    func matchesPrefix(of model: [UInt8]) -> Bool {
        guard model.count >= elements.count else { return false }
        if endsModel, model.count != elements.count { return false }
        for (index, element) in elements.enumerated() {
            let byte = model[index]
            switch element {
            case UInt8(ascii: "#"): if !ASCII.isDigit(byte) { return false }
            case UInt8(ascii: "@"): if !(byte &- 97 < 26) { return false }
            default: if byte != element { return false }
            }
        }
        return true
    }
}
