/// A field of a PATCH body: left out, set to `null`, or set to a value.
enum Patch<Value: Sendable>: Sendable {
    /// Not in the body: keep the current value.
    case absent
    /// `null`: clear it.
    case null
    /// A new value.
    case value(Value)

    /// `nil` when absent, `.some(nil)` when null, `.some(value)` otherwise (the repositories' convention).
    var doubleOptional: Value?? {
        switch self {
        case .absent: nil
        case .null: .some(nil)
        case .value(let value): .some(value)
        }
    }
}
