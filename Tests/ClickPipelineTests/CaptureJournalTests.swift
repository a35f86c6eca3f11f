import Foundation
import ShortLinkCore
import Testing

@testable import ClickPipeline

@Suite struct CaptureJournalTests {
    private func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "journal-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func journalFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".journal") }.sorted()
    }

    private func configuration(_ directory: String) -> CaptureJournal.Configuration {
        CaptureJournal.Configuration(directory: directory, segmentBytes: 256 << 10, spareSegments: 1)
    }

    /// Writes `count` records into the region as the edge does; returns the end offset.
    private func write(_ count: Int, into region: CaptureRegion, from offset: Int = 0, agent: String = "UA") -> Int {
        var offset = offset
        for index in 0..<count {
            var fields = ClickRecord.Fields()
            let written = Array("\(agent)-\(index)".utf8).withUnsafeBytes { raw in
                fields[.userAgent] = raw
                return ClickRecord.write(
                    to: region.start + offset, id: EntityID(high: 1, low: UInt64(offset)), linkID: EntityID(high: 2, low: 3),
                    timestamp: Timestamp(microsecondsSinceEpoch: 1_700_000_000_000_000), clientIP: IPAddress("192.0.2.1"),
                    method: .get, fields: fields)
            }
            offset += written
        }
        return offset
    }

    @Test func regions_areZeroFilledMappings_andKeepTheirRecordsAfterClose() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try CaptureJournal(configuration: configuration(directory), initialSegments: 2)
        let region = try #require(journal.nextRegion())
        #expect(region.start.load(as: UInt32.self) == 0)
        let stored = write(2, into: region)
        _ = write(3, into: region, from: stored, agent: "UB")
        journal.acknowledge(.init(segment: region.segment, end: stored, sealsSegment: false))
        journal.close()

        // The region's file stays (its records are not all stored); the spare is deleted.
        let files = journalFiles(directory)
        #expect(files.count == 1)
        let events = try JournalFile.pendingEvents(at: directory + "/" + files[0])
        #expect(events.map(\.userAgent) == ["UB-0", "UB-1", "UB-2"])
    }

    @Test func aSealedSegment_isDeletedOnceStored() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try CaptureJournal(configuration: configuration(directory), initialSegments: 1)
        let region = try #require(journal.nextRegion())
        let end = write(3, into: region)
        #expect(journalFiles(directory).count == 1)
        journal.acknowledge(.init(segment: region.segment, end: end, sealsSegment: true))
        #expect(journalFiles(directory).isEmpty)
        journal.close()
    }

    @Test func withNoReadySegment_nextRegionSaysSo_andRefillMakesOne() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try CaptureJournal(configuration: configuration(directory), initialSegments: 1)
        #expect(journal.nextRegion() != nil)
        #expect(journal.nextRegion() == nil)
        #expect(journal.shortages == 1)
        try journal.refill()
        #expect(journal.nextRegion() != nil)
        journal.close()
    }

    @Test func theDiskBound_limitsSegments() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try CaptureJournal(
            configuration: .init(directory: directory, segmentBytes: 256 << 10, spareSegments: 4, maxBytes: 600 << 10),
            initialSegments: 4)
        #expect(journal.fileBytes == 512 << 10)
        journal.close()
    }

    @Test func aSecondProcessOnTheSameSpool_isRefused() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try CaptureJournal(configuration: configuration(directory), initialSegments: 1)
        // flock locks are per open file description, so a second open in this process
        // conflicts just as another process would.
        #expect(throws: JournalError.self) { try CaptureJournal(configuration: configuration(directory), initialSegments: 1) }
        journal.close()
    }

    @Test func leftovers_areListedAtOpen_andSavedFilesReadBack() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var records: [UInt8] = []
        ClickRecord.append(
            to: &records, id: EntityID(high: 9, low: 9), linkID: EntityID(high: 2, low: 3),
            timestamp: Timestamp(microsecondsSinceEpoch: 5), clientIP: nil, method: .head, fields: .init())
        do {
            let first = try CaptureJournal(configuration: configuration(directory), initialSegments: 1)
            try first.saveForNextStart(records)
            first.close()
        }
        let second = try CaptureJournal(configuration: configuration(directory), initialSegments: 1)
        defer { second.close() }
        #expect(second.leftovers.count == 1)
        let events = try JournalFile.pendingEvents(at: second.leftovers[0])
        #expect(events.map(\.id) == [EntityID(high: 9, low: 9)])
        #expect(events.first?.method == .head)
        second.discard(leftover: second.leftovers[0])
        #expect(journalFiles(directory).count == 1)  // only the new spare remains
    }

    @Test func aFileThatIsNotAJournal_isReportedDamaged() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/capture-x-1.journal"
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 200))
        #expect(throws: JournalError.self) { try JournalFile.pendingEvents(at: path) }
    }
}
