import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a journal segment left behind by an earlier process.
enum JournalFile {
    /// The clicks in `path` that were not acknowledged as stored.
    /// - Parameter path: a segment file.
    /// - Returns: the events after the acknowledged offset, up to the first zero length word
    ///   or torn record.
    static func pendingEvents(at path: String) throws(JournalError) -> [ClickEvent] {
        let contents = try read(path)
        guard contents.count >= JournalSegment.headerSize else {
            throw JournalError(code: .invalidSegment, path: path, reason: "shorter than its header")
        }
        let result = contents.withUnsafeBytes { raw in
            Result { () throws(JournalError) -> [ClickEvent] in try pendingEvents(in: raw, path: path) }
        }
        return try result.get()
    }

    private static func pendingEvents(in raw: UnsafeRawBufferPointer, path: String) throws(JournalError) -> [ClickEvent] {
        guard UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) == JournalSegment.magic else {
            throw JournalError(code: .invalidSegment, path: path, reason: "not a click journal segment")
        }
        let acknowledged = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        let records = UnsafeRawBufferPointer(rebasing: raw[JournalSegment.headerSize...])
        guard acknowledged <= records.count else {
            throw JournalError(code: .invalidSegment, path: path, reason: "acknowledged offset past the end")
        }
        do {
            return try ClickRecord.decode(UnsafeRawBufferPointer(rebasing: records[acknowledged...])).events
        } catch {
            throw JournalError(code: .invalidSegment, path: path, reason: "\(error)")
        }
    }

    /// Writes a finished segment holding `records` (``CaptureJournal/saveForNextStart(_:)``), through a temporary name so a crash never leaves half a file.
    static func write(records: [UInt8], to path: String) throws(JournalError) {
        var contents = [UInt8](repeating: 0, count: JournalSegment.headerSize)
        contents.withUnsafeMutableBytes { JournalSegment.writeHeader(to: $0.baseAddress!) }
        contents += records
        contents += [0, 0, 0, 0]
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(code: .segmentCreateFailed, path: temporary, reason: errnoText()) }
        var offset = 0
        while offset < contents.count {
            let written = contents.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                close(fd)
                unlink(temporary)
                throw JournalError(code: .segmentCreateFailed, path: temporary, reason: reason)
            }
            offset += written
        }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw JournalError(code: .segmentCreateFailed, path: path, reason: errnoText())
        }
    }

    static func read(_ path: String) throws(JournalError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError(code: .invalidSegment, path: path, reason: errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError(code: .invalidSegment, path: path, reason: errnoText()) }
        var contents = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < contents.count {
            let got = contents.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + offset, $0.count - offset, off_t(offset)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw JournalError(code: .invalidSegment, path: path, reason: errnoText())
            }
            if got == 0 { break }
            offset += got
        }
        return Array(contents[0..<offset])
    }
}
