import ShortLinkCore

#if canImport(Glibc)
    import Glibc
#endif

/// One journal file mapped into memory: a 64-byte header, then click records.
///
/// Header (little-endian): `u64` magic `SLJRNL01`, `u64` acknowledged offset (bytes of
/// records, counted from the end of the header, that are stored in Postgres), `i64`
/// creation time (µs since epoch). Records follow from byte 64, back to back, ended by a
/// zero length word (the file starts zero-filled; see ``ClickRecord``).
///
/// The mapping is `MAP_SHARED`, so what the event loop writes is in the kernel's page
/// cache at once and outlives the process (not a power cut: nothing is fsynced).
final class JournalSegment: @unchecked Sendable {
    static let headerSize = 64
    /// "SLJRNL01" read as a little-endian u64.
    static let magic: UInt64 = 0x3130_4C4E_524A_4C53

    let number: UInt64
    let path: String
    let size: Int
    private let base: UnsafeMutableRawPointer

    private init(number: UInt64, path: String, size: Int, base: UnsafeMutableRawPointer) {
        self.number = number
        self.path = path
        self.size = size
        self.base = base
    }

    /// The records area, for the capture.
    var region: CaptureRegion {
        CaptureRegion(segment: number, start: base + Self.headerSize, capacity: size - Self.headerSize)
    }

    /// Bytes of records known to be stored.
    var acknowledged: Int {
        get { Int(UInt64(littleEndian: base.load(fromByteOffset: 8, as: UInt64.self))) }
        set { base.storeBytes(of: UInt64(newValue).littleEndian, toByteOffset: 8, as: UInt64.self) }
    }

    /// Copies records `range` (offsets from the end of the header).
    func bytes(_ range: Range<Int>) -> [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base + Self.headerSize + range.lowerBound, count: range.count))
    }

    /// Creates a zero-filled file with its blocks allocated (so a full disk fails here,
    /// not as SIGBUS on a later write) and maps it.
    static func create(path: String, number: UInt64, size: Int) throws(JournalError) -> JournalSegment {
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError(code: .segmentCreateFailed, path: path, reason: errnoText()) }
        defer { close(fd) }
        let allocated = posix_fallocate(fd, 0, off_t(size))
        guard allocated == 0 else {
            unlink(path)
            throw JournalError(code: .segmentCreateFailed, path: path, reason: String(cString: strerror(allocated)))
        }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0),
            mapped != MAP_FAILED
        else {
            let reason = errnoText()
            unlink(path)
            throw JournalError(code: .segmentCreateFailed, path: path, reason: reason)
        }
        writeHeader(to: mapped)
        return JournalSegment(number: number, path: path, size: size, base: mapped)
    }

    /// Writes a fresh header (magic, nothing acknowledged, created now): the one encoder of
    /// the header, for mapped segments and for saved files alike.
    /// - Parameter base: the first of ``headerSize`` writable bytes.
    static func writeHeader(to base: UnsafeMutableRawPointer) {
        base.storeBytes(of: magic.littleEndian, toByteOffset: 0, as: UInt64.self)
        base.storeBytes(of: UInt64(0), toByteOffset: 8, as: UInt64.self)
        base.storeBytes(of: Timestamp.now().microsecondsSinceEpoch.littleEndian, toByteOffset: 16, as: Int64.self)
    }

    /// Unmaps the file and deletes it.
    func remove() {
        munmap(base, size)
        unlink(path)
    }

    /// Unmaps the file and keeps it (its records are not all stored yet).
    func unmap() {
        munmap(base, size)
    }
}

func errnoText() -> String { String(cString: strerror(errno)) }
