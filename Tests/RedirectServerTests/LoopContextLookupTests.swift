import NIOEmbedded
import ShortLinkCore
import ShortLinkTesting
import Synchronization
import Testing

@testable import RedirectServer

/// The loop's view of the cache: codes changed since the full load are found by their bytes
/// (the API takes the request's bytes, so no `String` is built), the rest fall through.
@Suite struct LoopContextLookupTests {
    /// A loop with `full` as its full table and `changes` (code → target, `nil`: removed) on top.
    private static func context(full: [LinkTarget], changes: [(String, LinkTarget?)]) -> LoopContext {
        let context = LoopContext(
            eventLoop: EmbeddedEventLoop(), configuration: EdgeConfiguration(), sink: RecordingClickSink())
        var builder = LinkTableBuilder()
        for target in full { builder.add(target) }
        context.replace(table: builder.build())
        var changed = LinkTableBuilder()
        for (code, target) in changes {
            if let target { changed.add(target) } else { changed.addRemoved(code: code) }
        }
        context.replace(changes: changed.build())
        return context
    }

    /// Looks `code` up from a byte buffer, as the handler does with the request's bytes.
    private static func location(_ context: LoopContext, _ code: String) -> String? {
        Array(code.utf8).withUnsafeBytes { bytes in
            context.lookup(bytes).map { entry in
                let text = String(decoding: entry.response, as: UTF8.self)
                return text.split(separator: "\r\n").first { $0.hasPrefix("Location: ") }.map { String($0.dropFirst(10)) }
            } ?? nil
        }
    }

    @Test func lookup_whenCodeChanged_findsTheChangeByBytes() {
        let context = Self.context(
            full: [link("moved", "https://example.com/old"), link("kept", "https://example.com/kept")],
            changes: [("moved", link("moved", "https://example.com/new"))])
        #expect(Self.location(context, "moved") == "https://example.com/new")
    }

    @Test func lookup_whenCodeUnchanged_fallsThroughToTheFullTable() {
        let context = Self.context(
            full: [link("moved", "https://example.com/old"), link("kept", "https://example.com/kept")],
            changes: [("moved", link("moved", "https://example.com/new"))])
        #expect(Self.location(context, "kept") == "https://example.com/kept")
        #expect(Self.location(context, "absent") == nil)
    }

    @Test func lookup_whenCodeAddedOrRemovedSinceTheFullLoad_followsTheChange() {
        let context = Self.context(
            full: [link("gone", "https://example.com/gone")],
            changes: [("gone", nil), ("fresh", link("fresh", "https://example.com/fresh"))])
        #expect(Self.location(context, "gone") == nil)
        #expect(Self.location(context, "fresh") == "https://example.com/fresh")
    }

    @Test func lookup_whenCodeDiffersOnlyInCase_isNotTheChangedOne() {
        let context = Self.context(
            full: [link("Case", "https://example.com/full")], changes: [("case", link("case", "https://example.com/c"))])
        #expect(Self.location(context, "Case") == "https://example.com/full")
        #expect(Self.location(context, "case") == "https://example.com/c")
    }

    @Test func replaceTable_dropsTheChanges() {
        let context = Self.context(
            full: [link("moved", "https://example.com/old")], changes: [("moved", link("moved", "https://example.com/new"))])
        var builder = LinkTableBuilder()
        builder.add(link("moved", "https://example.com/reloaded"))
        context.replace(table: builder.build())
        #expect(Self.location(context, "moved") == "https://example.com/reloaded")
    }
}

/// The drain waits for the connection count to reach zero by an event, not by polling.
@Suite(.timeLimit(.minutes(1))) struct ConnectionDrainTests {
    @Test func waitUntilNoneOpen_whenNoneOpen_returnsAtOnce() async {
        await ConnectionCounters().waitUntilNoneOpen()
    }

    @Test func waitUntilNoneOpen_returnsWhenTheLastConnectionIsReleased() async {
        let counters = ConnectionCounters()
        counters.open.add(2, ordering: .relaxed)
        let waiter = Task { await counters.waitUntilNoneOpen() }
        counters.release()
        #expect(counters.open.load(ordering: .relaxed) == 1)
        counters.release()
        await waiter.value
        #expect(counters.open.load(ordering: .relaxed) == 0)
    }

    @Test func waitUntilNoneOpen_whenCancelled_returnsWithConnectionsOpen() async {
        let counters = ConnectionCounters()
        counters.open.add(1, ordering: .relaxed)
        let waiter = Task { await counters.waitUntilNoneOpen() }
        waiter.cancel()
        await waiter.value
        #expect(counters.open.load(ordering: .relaxed) == 1)
    }
}
