import Foundation
import GeoIPLookup
import ShortLinkCore
import ShortLinkTesting
import Synchronization
import Testing

@Suite struct GeoIPLookupConcurrencyTests {
    /// Readers on their own threads look up without pause while another thread renames v1
    /// and v2 over the file and reloads, again and again: no crash, and every answer is
    /// v1's or v2's, never a mix or nil.
    @Test func lookup_whileReloadingRepeatedly_alwaysGivesAV1OrV2Answer() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.copy(TestGeoIP.cityDatabasePath, to: "city.mmdb")
        let lookup = try GeoIPLookup(path: path)
        let changing = try #require(IPAddress(TestGeoIP.changingAddress))
        let stable = try TestGeoIP.knownLocations.dropFirst().map { (try #require(IPAddress($0.address)), $0.location) }

        let readerCount = 4
        let reloads = 200
        let counters = ReaderCounters()
        let finished = DispatchGroup()

        for reader in 0..<readerCount {
            finished.enter()
            let thread = Thread {
                var index = reader
                while !counters.stop.load(ordering: .relaxed) {
                    let answer = lookup.lookup(changing)
                    if answer != TestGeoIP.changingAddressV1, answer != TestGeoIP.changingAddressV2 {
                        counters.wrongAnswers.add(1, ordering: .relaxed)
                    }
                    let (address, expected) = stable[index % stable.count]
                    if lookup.lookup(address) != expected { counters.wrongAnswers.add(1, ordering: .relaxed) }
                    index += 1
                    counters.lookups.add(2, ordering: .relaxed)
                }
                finished.leave()
            }
            thread.start()
        }

        var reloadErrors: [any Error] = []
        for round in 0..<reloads {
            let source = round % 2 == 0 ? TestGeoIP.cityDatabaseV2Path : TestGeoIP.cityDatabasePath
            do {
                try directory.replaceAtomically(path, withContentsOf: source)
                if round % 3 == 0 { try lookup.reload() } else { _ = try lookup.reloadIfChanged() }
            } catch {
                reloadErrors.append(error)
            }
        }
        counters.stop.store(true, ordering: .relaxed)
        finished.wait()

        #expect(reloadErrors.isEmpty)
        #expect(counters.wrongAnswers.load(ordering: .relaxed) == 0)
        #expect(counters.lookups.load(ordering: .relaxed) > 0)
        // The last round installed v1; whatever happened before, the file and the answer agree now.
        _ = try lookup.reloadIfChanged()
        #expect(lookup.lookup(changing) == TestGeoIP.changingAddressV1)
    }

    /// Swift tasks share one lookup while reloads run in another task.
    @Test func lookup_fromManyTasksDuringReloads_neverFails() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.copy(TestGeoIP.cityDatabasePath, to: "city.mmdb")
        let lookup = try GeoIPLookup(path: path)
        let changing = try #require(IPAddress(TestGeoIP.changingAddress))
        let v2 = TestGeoIP.cityDatabaseV2Path
        let v1 = TestGeoIP.cityDatabasePath

        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for round in 0..<50 {
                    try directory.replaceAtomically(path, withContentsOf: round % 2 == 0 ? v2 : v1)
                    try lookup.reload()
                    await Task.yield()
                }
                return 0
            }
            for _ in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<2_000 {
                        let answer = lookup.lookup(changing)
                        if answer != TestGeoIP.changingAddressV1, answer != TestGeoIP.changingAddressV2 { wrong += 1 }
                        await Task.yield()
                    }
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}

/// Shared between the reader threads and the test.
private final class ReaderCounters: Sendable {
    let stop = Atomic(false)
    let lookups = Atomic(0)
    let wrongAnswers = Atomic(0)
}
