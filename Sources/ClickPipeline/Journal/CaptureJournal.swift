public import ShortLinkCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The click journal in the spool directory: mapped segment files the event loops capture
/// into (``CaptureStorage``), acknowledged as the writer stores their records, deleted once
/// fully stored. Files an earlier process left behind are listed at open for replay.
///
/// Segments are created ahead of need by ``refill()`` (off the event loops), so
/// ``nextRegion()`` only takes a ready one under a short lock: no syscall on the loop.
public final class CaptureJournal: CaptureStorage {
    /// Journal settings.
    public struct Configuration: Sendable {
        /// The spool directory.
        public var directory: String
        /// Bytes per segment file; default 16 MiB.
        public var segmentBytes: Int
        /// Ready segments kept in reserve; default 2.
        public var spareSegments: Int
        /// The most the journal's files may take on disk; beyond it the capture keeps
        /// records in memory only (counted). Default 2 GiB.
        public var maxBytes: Int

        /// Creates settings.
        public init(directory: String, segmentBytes: Int = 16 << 20, spareSegments: Int = 2, maxBytes: Int = 2 << 30) {
            self.directory = directory
            self.segmentBytes = max(segmentBytes, 64 << 10)
            self.spareSegments = max(1, spareSegments)
            self.maxBytes = maxBytes
        }
    }

    private struct State {
        var spares: [JournalSegment] = []
        var live: [UInt64: JournalSegment] = [:]
        var nextNumber: UInt64 = 1
        var fileBytes = 0
        var closed = false
        var lockReleased = false
        var shortages = 0
    }

    /// Journal files found at open, from an earlier process: replay them, then ``discard(leftover:)``.
    public let leftovers: [String]
    private let configuration: Configuration
    private let instance: String
    private let lockDescriptor: Int32
    private let state = Mutex(State())

    /// Opens (creating if needed) the spool directory, takes its lock, lists leftovers and
    /// prepares the first segments.
    /// - Parameters:
    ///   - configuration: directory and sizes.
    ///   - initialSegments: segments to create now (one per event loop plus spares).
    public init(configuration: Configuration, initialSegments: Int) throws(JournalError) {
        self.configuration = configuration
        try Self.makeDirectory(configuration.directory)
        let lockPath = configuration.directory + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(code: .spoolUnavailable, path: lockPath, reason: errnoText()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            throw JournalError(
                code: .spoolInUse, path: configuration.directory,
                reason: "another shortlinks process is using this spool directory (set clicks.spoolDir per instance)")
        }
        self.lockDescriptor = fd
        self.leftovers = Self.listSegments(in: configuration.directory)
        var random = SystemRandomNumberGenerator()
        self.instance = String(random.next() as UInt64, radix: 16)
        try makeSegments(upTo: max(initialSegments, configuration.spareSegments))
    }

    deinit {
        releaseLock()
    }

    private func releaseLock() {
        let release = state.withLock { state -> Bool in
            defer { state.lockReleased = true }
            return !state.lockReleased
        }
        if release { Glibc.close(lockDescriptor) }
    }

    public func nextRegion() -> CaptureRegion? {
        state.withLock { state in
            guard !state.closed, !state.spares.isEmpty else {
                state.shortages += 1
                return nil
            }
            let segment = state.spares.removeLast()
            state.live[segment.number] = segment
            return segment.region
        }
    }

    /// Creates segments until the reserve is full again (or the disk bound is reached).
    /// Called by the writer, never on an event loop.
    public func refill() throws(JournalError) {
        try makeSegments(upTo: configuration.spareSegments)
    }

    /// Records that a batch's records are stored; deletes the segment once it is sealed
    /// and stored completely.
    /// - Parameter position: the batch's place in its segment.
    public func acknowledge(_ position: ClickBatch.JournalPosition) {
        let finished = state.withLock { state -> JournalSegment? in
            guard let segment = state.live[position.segment] else { return nil }
            if position.end > segment.acknowledged { segment.acknowledged = position.end }
            guard position.sealsSegment else { return nil }
            state.live[position.segment] = nil
            state.fileBytes -= segment.size
            return segment
        }
        finished?.remove()
    }

    /// The records of a batch whose in-memory copy was let go (over the memory bound).
    /// - Parameters:
    ///   - segment: the segment number.
    ///   - range: offsets of the batch's records.
    public func records(segment: UInt64, range: Range<Int>) -> [UInt8]? {
        state.withLock { $0.live[segment] }?.bytes(range)
    }

    /// Saves records that exist only in memory (captured while no segment was ready, or
    /// with the journal full) as a journal file, so the next start replays them: a shutdown
    /// that ran out of time. (Not *spilling*: that is the queue letting go of the in-memory
    /// copy of a batch the journal also holds.)
    /// - Parameter records: encoded records.
    public func saveForNextStart(_ records: [UInt8]) throws(JournalError) {
        let number = state.withLock { state -> UInt64 in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        try JournalFile.write(records: records, to: path(number: number, kind: "saved"))
    }

    /// Deletes a leftover file after its clicks were stored.
    /// - Parameter path: one of ``leftovers``.
    public func discard(leftover path: String) {
        unlink(path)
    }

    /// Stops handing out segments, deletes unused ones and unmaps the rest (their files stay
    /// for the next start when not all their records are stored).
    public func close() {
        let (spares, live) = state.withLock { state -> ([JournalSegment], [JournalSegment]) in
            state.closed = true
            defer {
                state.spares = []
                state.live = [:]
                state.fileBytes = 0
            }
            return (state.spares, Array(state.live.values))
        }
        for segment in spares { segment.remove() }
        for segment in live { segment.unmap() }
        releaseLock()
    }

    /// Bytes the journal's segment files take now.
    public var fileBytes: Int { state.withLock { $0.fileBytes } }

    /// How often an event loop found no ready segment.
    public var shortages: Int { state.withLock { $0.shortages } }

    private func makeSegments(upTo target: Int) throws(JournalError) {
        while true {
            let number = state.withLock { state -> UInt64? in
                guard !state.closed, state.spares.count < target,
                    state.fileBytes + configuration.segmentBytes <= configuration.maxBytes
                else { return nil }
                state.fileBytes += configuration.segmentBytes
                defer { state.nextNumber += 1 }
                return state.nextNumber
            }
            guard let number else { return }
            do {
                let segment = try JournalSegment.create(
                    path: path(number: number, kind: "capture"), number: number, size: configuration.segmentBytes)
                state.withLock { $0.spares.append(segment) }
            } catch {
                state.withLock { $0.fileBytes -= configuration.segmentBytes }
                throw error
            }
        }
    }

    private func path(number: UInt64, kind: String) -> String {
        let digits = String(number)
        return configuration.directory + "/\(kind)-\(instance)-" + String(repeating: "0", count: max(0, 8 - digits.count))
            + digits + ".journal"
    }

    static func listSegments(in directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(".journal") { names.append(directory + "/" + name) }
        }
        return names.sorted()
    }

    static func makeDirectory(_ path: String) throws(JournalError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw JournalError(code: .spoolUnavailable, path: prefix, reason: errnoText())
            }
        }
        guard access(path, W_OK) == 0 else {
            throw JournalError(code: .spoolUnavailable, path: path, reason: errnoText())
        }
    }
}

extension CaptureJournal {
    /// Renames a damaged leftover to `*.damaged` so it is kept for inspection but not
    /// replayed again.
    /// - Parameter path: one of ``leftovers``.
    public func quarantine(leftover path: String) {
        rename(path, path + ".damaged")
    }
}
