import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import RedirectServer

#if canImport(Glibc)
    import Glibc
#endif

/// The edge's server-channel pipeline when `accept` fails for want of descriptors.
@Suite struct AcceptBackoffTests {
    /// Counts the reads that reach the socket (the front of the pipeline).
    final class ReadRecorder: ChannelOutboundHandler {
        typealias OutboundIn = Never
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func acceptFailingWithEMFILE_pausesAccepting_countsIt_andResumes() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(loop: loop)
        let recorder = ReadRecorder()
        try channel.pipeline.syncOperations.addHandler(recorder)
        let counters = ConnectionCounters()
        try EdgeServer.addAcceptHandlers(
            to: channel.pipeline.syncOperations, configuration: EdgeConfiguration(), counters: counters,
            logger: Logger(label: "test"))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        channel.read()
        #expect(recorder.reads == 1)

        channel.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))
        #expect(counters.refusedNoDescriptors.load(ordering: .relaxed) == 1)
        // The next accept waits for the backoff instead of spinning; the listener stays open.
        channel.read()
        #expect(recorder.reads == 1)
        #expect(channel.isActive)
        loop.advanceTime(to: .now() + EdgeServer.acceptBackoff + .milliseconds(50))
        #expect(recorder.reads == 2)
        // Other errors are not counted as exhaustion.
        channel.pipeline.fireErrorCaught(IOError(errnoCode: ECONNABORTED, reason: "accept"))
        #expect(counters.refusedNoDescriptors.load(ordering: .relaxed) == 1)
    }
}
