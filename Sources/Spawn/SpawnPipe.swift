public import Glibc

/// A pipe whose ends are close-on-exec: a child gets one only as a standard stream.
public struct SpawnPipe: Sendable {
    /// The end to read from.
    public let readEnd: Int32
    /// The end to write to.
    public let writeEnd: Int32

    /// Opens a pipe.
    /// - Throws: ``SpawnError`` (named `pipe`) when the process is out of descriptors.
    public init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw SpawnError(executable: "pipe", code: errno) }
        // (`pipe2` is not in the Glibc module. A child spawned by another thread in between
        // does not keep them either: SpawnedProcess closes everything above 2 at spawn.)
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Two pipes, or none: when the second cannot be opened, the first is closed again.
    public static func pair() throws -> (SpawnPipe, SpawnPipe) {
        let first = try SpawnPipe()
        do { return (first, try SpawnPipe()) } catch {
            first.close()
            throw error
        }
    }

    /// Closes both ends (only for ends not closed already: a second close could hit a
    /// descriptor another thread has opened since).
    public func close() {
        Descriptor.close(readEnd)
        Descriptor.close(writeEnd)
    }
}

/// Blocking reads and writes on descriptors that retry on `EINTR`.
public enum Descriptor {
    /// Closes `descriptor` (a closed one stays closed).
    public static func close(_ descriptor: Int32) { _ = Glibc.close(descriptor) }

    /// Reads until end of file.
    public static func readToEnd(_ descriptor: Int32) -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = read(descriptor, timeout: nil) { all += chunk }
        return all
    }

    /// Reads what is there, waiting up to `timeout` (forever when `nil`) for something.
    /// - Returns: the bytes read, empty when the wait timed out, `nil` at end of file (or on
    ///   an error).
    public static func read(_ descriptor: Int32, timeout: Duration?) -> [UInt8]? {
        var watched = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = timeout.map { Int32(clamping: $0.components.seconds * 1000 + $0.components.attoseconds / 1_000_000_000_000_000) } ?? -1
        while true {
            let ready = Glibc.poll(&watched, 1, milliseconds)
            if ready == -1 && errno == EINTR { continue }
            if ready == 0 { return [] }
            break
        }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { return Array(buffer[0..<count]) }
            if count == -1 && errno == EINTR { continue }
            return nil
        }
    }

    /// Writes every byte.
    /// - Returns: `false` when the reader has gone (`EPIPE`; the caller ignores `SIGPIPE`) or
    ///   another error stopped the write.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}

/// What a program run to completion printed.
public struct SpawnOutput: Sendable {
    /// How it ended.
    public var termination: Termination
    /// Its standard output.
    public var standardOutput: [UInt8]
    /// Its standard error.
    public var standardError: [UInt8]

    /// ``Termination/status``.
    public var status: Int32 { termination.status }
}

extension SpawnedProcess {
    /// Runs a program to completion with both output streams captured (drained together,
    /// so a chatty child never stalls on a full pipe). Blocks the calling thread: call it
    /// from a thread-pool thread.
    /// - Parameters:
    ///   - executable: absolute path of the program.
    ///   - arguments: its arguments.
    ///   - environment: the child's complete environment.
    ///   - directory: the working directory; default the parent's.
    /// - Throws: ``SpawnError`` when it cannot be started.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], directory: String? = nil
    ) throws -> SpawnOutput {
        let (output, errors) = try SpawnPipe.pair()
        let process: SpawnedProcess
        do {
            process = try SpawnedProcess(
                executable: executable, arguments: arguments, environment: environment, directory: directory,
                standardOutput: .descriptor(output.writeEnd), standardError: .descriptor(errors.writeEnd))
        } catch {
            output.close()
            errors.close()
            throw error
        }
        Descriptor.close(output.writeEnd)
        Descriptor.close(errors.writeEnd)
        defer {
            Descriptor.close(output.readEnd)
            Descriptor.close(errors.readEnd)
        }
        var collected: [[UInt8]] = [[], []]
        var watched = [
            pollfd(fd: output.readEnd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: errors.readEnd, events: Int16(POLLIN), revents: 0),
        ]
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while watched.contains(where: { $0.fd >= 0 }) {
            let ready = Glibc.poll(&watched, nfds_t(watched.count), -1)
            if ready == -1 {
                if errno == EINTR { continue }
                break
            }
            for index in watched.indices where watched[index].fd >= 0 && watched[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(watched[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    collected[index] += buffer[0..<count]
                } else if count == 0 || errno != EINTR {
                    watched[index].fd = -1  // end of file: poll ignores negative descriptors
                }
            }
        }
        return SpawnOutput(termination: process.wait(), standardOutput: collected[0], standardError: collected[1])
    }
}
