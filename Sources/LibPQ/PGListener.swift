import CLibPQ
public import Logging
import NIOConcurrencyHelpers
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// A notification sent with `NOTIFY` / `pg_notify`.
public struct PGNotification: Sendable, Hashable {
    /// The channel name.
    public var channel: String
    /// The payload text (may be empty).
    public var payload: String
    /// The backend pid of the session that sent it.
    public var processID: Int

    /// Creates a notification value.
    public init(channel: String, payload: String, processID: Int) {
        self.channel = channel
        self.payload = payload
        self.processID = processID
    }
}

/// What a ``PGListener`` reports.
public enum PGListenerEvent: Sendable, Hashable {
    /// `LISTEN` is in effect on a (new) connection. Sent first and again after every
    /// reconnect: notifications sent while disconnected are lost, so resynchronise here.
    case listening
    /// A notification arrived.
    case notification(PGNotification)
}

/// Delivers `LISTEN`/`NOTIFY` as an async sequence, on a dedicated connection and thread,
/// reconnecting (and re-`LISTEN`ing) by itself after the server goes away.
public final class PGListener: Sendable {
    /// The channels listened to.
    public let channels: [String]
    private let url: String
    private let connectTimeoutSeconds: Int
    private let reconnectDelay: Duration
    private let logger: Logger

    /// Creates a listener; nothing connects until ``events()`` is iterated.
    /// - Parameters:
    ///   - url: libpq connection URL.
    ///   - channels: channel names (identifiers; quoted before use).
    ///   - connectTimeoutSeconds: default 5.
    ///   - reconnectDelay: pause between reconnect attempts; default 250 ms.
    ///   - logger: for connection events.
    public init(
        url: String, channels: [String], connectTimeoutSeconds: Int = 5,
        reconnectDelay: Duration = .milliseconds(250), logger: Logger
    ) {
        self.url = url
        self.channels = channels
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.reconnectDelay = reconnectDelay
        self.logger = logger
    }

    /// Starts listening and returns the events. Ends when the consumer stops iterating.
    public func events() -> AsyncStream<PGListenerEvent> {
        let (stream, continuation) = AsyncStream<PGListenerEvent>.makeStream()
        let stopped = NIOLockedValueBox(false)
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        continuation.onTermination = { _ in
            stopped.withLockedValue { $0 = true }
            thread.shutdownGracefully { _ in }
        }
        thread.submit { [self] state in
            guard case .active = state else { return }
            run(continuation: continuation, isStopped: { stopped.withLockedValue { $0 } })
        }
        return stream
    }

    private func run(continuation: AsyncStream<PGListenerEvent>.Continuation, isStopped: () -> Bool) {
        var announcedFailure = false
        while !isStopped() {
            do {
                let connection = try PGConnection(
                    url: url, connectTimeoutSeconds: connectTimeoutSeconds, applicationName: "shortlinks-listener")
                for channel in channels {
                    try connection.executeScript("LISTEN \(try connection.quoteIdentifier(channel))")
                }
                if announcedFailure { logger.info("listener reconnected", metadata: ["channels": "\(channels)"]) }
                announcedFailure = false
                continuation.yield(.listening)
                try pump(connection, continuation: continuation, isStopped: isStopped)
            } catch {
                if !announcedFailure {
                    logger.warning("listener connection lost; retrying", metadata: ["error": "\(error)"])
                    announcedFailure = true
                }
            }
            if isStopped() { break }
            sleep(for: reconnectDelay)
        }
        continuation.finish()
    }

    /// Waits on the socket (200 ms slices so a stop is noticed) and yields notifications
    /// until the connection fails or the consumer stops.
    private func pump(
        _ connection: PGConnection, continuation: AsyncStream<PGListenerEvent>.Continuation, isStopped: () -> Bool
    ) throws {
        let handle = connection.handle
        while !isStopped() {
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready < 0, errno == EINTR { continue }
            guard ready >= 0 else { throw connection.connectionError(statement: nil) }
            if ready == 0 { continue }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                throw connection.connectionError(statement: nil)
            }
            while let notice = PQnotifies(handle) {
                let event = PGNotification(
                    channel: String(cString: notice.pointee.relname),
                    payload: notice.pointee.extra.map { String(cString: $0) } ?? "",
                    processID: Int(notice.pointee.be_pid))
                PQfreemem(notice)
                continuation.yield(.notification(event))
            }
        }
    }

    private func sleep(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1, errno == EINTR { request = remaining }
    }
}
