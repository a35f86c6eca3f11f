import Histogram
import NIOCore
import NIOPosix

/// One load-generating connection: keeps a keep-alive HTTP/1.1 connection open (reconnecting
/// when it is lost), sends one request at a time when its ``PacedSession`` says so, and
/// counts the answers. Confined to its event loop: every method runs there.
final class ConnectionWorker: @unchecked Sendable {
    struct Settings: Sendable {
        var host: String
        var port: Int
        var timeout: UInt64
        /// Consecutive failed connection attempts after which the connection gives up.
        var maxConnectFailures = 20
    }

    let eventLoop: any EventLoop
    private let settings: Settings
    private let source: any RequestSource
    private var session: PacedSession
    private var random: SplitMix64
    private var tally = ConnectionTally()
    private var channel: (any Channel)?
    private var current: PreparedRequest?
    private var currentSent: UInt64 = 0
    private var watchdog: RepeatedTask?
    private var wake: Scheduled<Void>?
    private var finished = false
    private var connectFailures = 0
    private let done: EventLoopPromise<ConnectionTally>
    private let progress: ProgressCounter

    init(
        eventLoop: any EventLoop, settings: Settings, source: any RequestSource, session: PacedSession, seed: UInt64,
        progress: ProgressCounter
    ) {
        self.progress = progress
        self.eventLoop = eventLoop
        self.settings = settings
        self.source = source
        self.session = session
        random = SplitMix64(seed: seed)
        done = eventLoop.makePromise()
    }

    /// Connects and runs; the future completes with the tally when this connection is done.
    func start() -> EventLoopFuture<ConnectionTally> {
        eventLoop.execute {
            // One repeating check per connection instead of a timer per request: a timer per
            // request is an allocation and two heap operations on the loop's schedule.
            let period = TimeAmount.nanoseconds(Int64(min(self.settings.timeout / 10, 100_000_000)))
            self.watchdog = self.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { _ in
                self.checkTimeout()
            }
            self.connect()
        }
        return done.futureResult
    }

    private static var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    private func connect() {
        guard !finished else { return }
        let parser = ResponseParser(keepsLocation: source.needsLocation)
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            // One answer per read at a time: a small fixed buffer, and no second read() that
            // would only find the socket empty.
            .channelOption(.maxMessagesPerRead, value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 4096))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ResponseHandler(worker: self, parser: parser))
                }
            }
            .connect(host: settings.host, port: settings.port)
            .whenComplete { result in
                switch result {
                case .success(let channel):
                    self.connectFailures = 0
                    if self.finished {
                        channel.close(promise: nil)
                        return
                    }
                    self.channel = channel
                    self.pump()
                case .failure:
                    self.tally.connectErrors += 1
                    self.connectFailures += 1
                    if self.connectFailures >= self.settings.maxConnectFailures {
                        self.finish()
                    } else {
                        self.eventLoop.scheduleTask(in: .milliseconds(50)) { self.connect() }
                    }
                }
            }
    }

    /// Sends the next request when one is due, or waits for it.
    private func pump() {
        guard !finished, let channel, current == nil else { return }
        let now = Self.now
        switch session.next(now: now) {
        case .finish:
            finish()
        case .wait(let until):
            wake?.cancel()
            wake = eventLoop.scheduleTask(deadline: .uptimeNanoseconds(until)) {
                self.wake = nil
                self.pump()
            }
        case .send:
            let request = source.next(&random)
            current = request
            let sentAt = Self.now
            currentSent = sentAt
            session.sent(now: sentAt)
            tally.sent += 1
            if request.isHead { tally.sentHead += 1 }
            if request.isPrefetch { tally.sentPrefetch += 1 }
            if request.isMiss { tally.sentMisses += 1 }
            if request.label == .bot { tally.sentBots += 1 }
            channel.writeAndFlush(request.bytes, promise: nil)
        }
    }

    /// Whether the request in flight is a HEAD (the parser needs it).
    var expectsHeadAnswer: Bool { current?.isHead ?? false }

    func received(_ response: ResponseParser.Response) {
        guard let request = current else {
            // An answer nobody asked for: the server is confused; start over.
            tally.protocolErrors += 1
            channel?.close(promise: nil)
            return
        }
        current = nil
        progress.answered()
        let now = Self.now
        let completion = session.completed(now: now)
        if (300..<400).contains(response.status) {
            if request.label == .bot { tally.redirectsBots += 1 } else { tally.redirectsHumans += 1 }
        }
        if source.needsLocation {
            tally.coherenceChecked += 1
            if let violation = source.check(request, response: response, sent: currentSent, received: now) {
                tally.coherenceViolations += 1
                if tally.violationSamples.count < 10 { tally.violationSamples.append(violation) }
            }
        }
        if completion.measured {
            tally.measured += 1
            tally.statuses[min(max(response.status, 0), 599)] += 1
            _ = tally.latency.record(max(1, completion.latency / 1000))
            _ = tally.serviceTime.record(max(1, completion.serviceTime / 1000))
            tally.firstMeasuredSend = min(tally.firstMeasuredSend, currentSent)
            tally.lastMeasuredAnswer = max(tally.lastMeasuredAnswer, now)
        } else {
            tally.warmup += 1
        }
        if response.closes {
            channel?.close(promise: nil)  // channelInactive reconnects
        } else {
            pump()
        }
    }

    func protocolError() {
        tally.protocolErrors += 1
        abandonRequest()
        channel?.close(promise: nil)
    }

    /// The request in flight will get no answer (counted once, under the error that ended it).
    private func abandonRequest() {
        guard current != nil else { return }
        progress.failed()
        current = nil
        _ = session.failed()
        tally.unanswered += 1
    }

    private func checkTimeout() {
        guard current != nil, Self.now &- currentSent >= settings.timeout else { return }
        tally.timeouts += 1
        abandonRequest()
        channel?.close(promise: nil)
    }

    func channelInactive() {
        channel = nil
        if current != nil {
            abandonRequest()
            tally.closedErrors += 1
        }
        guard !finished else { return }
        eventLoop.scheduleTask(in: .milliseconds(1)) { self.connect() }
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        wake?.cancel()
        watchdog?.cancel()
        tally.unsent = session.unsent
        channel?.close(promise: nil)
        channel = nil
        done.succeed(tally)
    }
}
