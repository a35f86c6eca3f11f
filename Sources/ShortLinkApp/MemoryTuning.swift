#if canImport(Glibc)
    import Glibc
#endif

/// Process-wide allocator settings for `serve`.
///
/// glibc raises its mmap threshold each time a large block is freed, after which the link
/// cache's big blocks (1 MiB response slabs, the index arrays) come from heap arenas that
/// are never given back, and a process that has reloaded a million links a few times
/// keeps two copies' worth of RSS. A fixed threshold keeps every block over 256 KiB in its
/// own mapping, returned to the system as soon as it is freed. (`mallopt` is not in the
/// Glibc module map, so it is looked up at run time.)
enum MemoryTuning {
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    /// glibc's `M_MMAP_THRESHOLD`.
    private static let mmapThreshold: Int32 = -3

    static func configure() {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: MallOpt.self)(mmapThreshold, 256 * 1024)
        #endif
    }
}
