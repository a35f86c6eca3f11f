/// One `"key": value` pair of a JSON object.
public struct JSONMember: Sendable, Equatable {
    /// The member name.
    public var key: String
    /// The member value.
    public var value: JSONValue

    /// Creates a member.
    /// - Parameters:
    ///   - key: the name.
    ///   - value: the value.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
