#if canImport(Glibc)
    import Glibc
#endif

/// Returns freed heap memory to the operating system after a full cache reload.
///
/// `malloc_trim` is glibc's and not in the Glibc module map, so it is looked up at run
/// time; elsewhere this does nothing.
enum MemoryRelease {
    private typealias Trim = @convention(c) (Int) -> Int32

    static func returnFreedMemory() {
        #if canImport(Glibc)
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
            _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
