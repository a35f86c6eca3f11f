/// The edge did not reach a state a caller waited for.
public enum EdgeServerError: Error, CustomStringConvertible {
    /// `waitUntilListening` gave up: the edge is not listening (still loading, or `run()` failed).
    case notListening(after: Duration)

    public var description: String {
        switch self {
        case .notListening(let after): "the edge was not listening after \(after)"
        }
    }
}
