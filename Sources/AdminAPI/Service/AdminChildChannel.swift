import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 child channel plus what it lacks: a connection cap (connections
/// beyond it are closed at accept) and header/body deadlines (``AdminRequestDeadlineHandler``).
struct AdminChildChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http: HTTP1Channel
    let gate: AdminConnectionGate
    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount

    struct Refused: Error {}

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        guard gate.tryOpen() else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(Refused())
        }
        let gate = self.gate
        channel.closeFuture.whenComplete { _ in gate.close() }
        let headerTimeout = self.headerTimeout
        let bodyTimeout = self.bodyTimeout
        return http.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let deadlines = AdminRequestDeadlineHandler(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout)
            try pipeline.addHandler(deadlines, position: .after(decoder.handler))
            try pipeline.addHandler(AdminReadActivityHandler(deadlines: deadlines), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }
}
