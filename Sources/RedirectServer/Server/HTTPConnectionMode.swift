/// What the response says about the connection, and whether it stays open.
enum HTTPConnectionMode: Int, CaseIterable {
    /// HTTP/1.1 default: no header, connection stays open.
    case keepAlive = 0
    /// `Connection: close`, then the connection is closed.
    case close = 1
    /// An HTTP/1.0 client that asked for keep-alive: `Connection: keep-alive`.
    case keepAliveHTTP10 = 2

    /// The header line this mode adds, if any.
    var headerLine: String {
        switch self {
        case .keepAlive: ""
        case .close: "Connection: close\r\n"
        case .keepAliveHTTP10: "Connection: keep-alive\r\n"
        }
    }
}
