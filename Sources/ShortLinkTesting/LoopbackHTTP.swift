import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A deliberately small HTTP/1.1 client over a blocking loopback socket, for tests that
/// must see the edge's exact bytes (no client library rewriting or following redirects).
public enum LoopbackHTTP {
    /// One parsed response.
    public struct Response: Sendable {
        /// Status code.
        public var status: Int
        /// Header fields, names lowercased.
        public var headers: [String: String]
        /// Body text.
        public var body: String
        /// `Location`, when present.
        public var location: String? { headers["location"] }
    }

    /// A failure talking to the server.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        public var description: String
    }

    /// Sends one `GET` (or another method) on a fresh connection and reads the whole response.
    /// - Parameters:
    ///   - port: the loopback port.
    ///   - path: the request target.
    ///   - method: default `GET`.
    ///   - headers: extra header lines (`Name: value`).
    ///   - body: a request body (sent with `Content-Length`); default none.
    public static func request(
        port: Int, path: String, method: String = "GET", headers: [String] = [], body: String? = nil
    ) throws -> Response {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for header in headers { text += header + "\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n" }
        let raw = try exchange(port: port, bytes: Array((text + "\r\n" + (body ?? "")).utf8))
        return try parse(raw, isHead: method == "HEAD")
    }

    /// Sends raw bytes and returns everything the server writes until it closes (or 30 s pass
    /// without a byte: a bound for a hung server, not a speed check; the whole suite runs at
    /// once on two cores, where an answer can wait several seconds for a CPU).
    public static func exchange(port: Int, bytes: [UInt8]) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect to 127.0.0.1:\(port) failed (errno \(errno))") }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(description: "send failed (errno \(errno))") }
            sent += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received += chunk[0..<n]
            } else if n == 0 {
                break
            } else if errno == EINTR {
                continue
            } else {
                if received.isEmpty { throw Failure(description: "no response (errno \(errno))") }
                break
            }
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func parse(_ raw: String, isHead: Bool) throws -> Response {
        guard let split = raw.range(of: "\r\n\r\n") else { throw Failure(description: "incomplete response: \(raw.prefix(200))") }
        let lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { throw Failure(description: "bad status line: \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: status, headers: headers, body: String(raw[split.upperBound...]))
    }
}
