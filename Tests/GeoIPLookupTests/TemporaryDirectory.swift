import Foundation
import ShortLinkCore

/// A directory of its own for one test, removed when the test lets go of it.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "shortlinks-geoip-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Copies `source` to `name` in this directory and returns the new path.
    @discardableResult
    func copy(_ source: String, to name: String) throws -> String {
        let destination = file(name)
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        return destination
    }

    /// Writes `bytes` to `name` and returns the path.
    @discardableResult
    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let destination = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
        return destination
    }

    /// Replaces `target` the way installers do: the new content is written under a temporary
    /// name in the same directory, then renamed over the old file in one step.
    func replaceAtomically(_ target: String, withContentsOf source: String) throws {
        let staging = file(".staging-" + UUID().uuidString)
        try FileManager.default.copyItem(atPath: source, toPath: staging)
        try rename(staging, over: target)
    }

    /// Replaces `target` atomically with `bytes`.
    func replaceAtomically(_ target: String, with bytes: [UInt8]) throws {
        let staging = file(".staging-" + UUID().uuidString)
        try Data(bytes).write(to: URL(fileURLWithPath: staging))
        try rename(staging, over: target)
    }

    private func rename(_ source: String, over target: String) throws {
        guard Foundation.rename(source, target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
    }
}

/// Bytes that are not an mmdb, from a fixed seed.
func garbageBytes(count: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}
