import Foundation
import Glibc

/// Small path and file helpers over Glibc, with errors this module can report.
enum FileSystem {
    /// What `lstat` says a path is.
    enum Kind: Sendable, Equatable {
        case directory
        case symbolicLink
        case other
    }

    // MARK: - Paths

    /// `path` made absolute against `base` and normalized lexically
    /// (no `.`/`..` components, no repeated or trailing slashes); symlinks are kept.
    static func absolutePath(_ path: String, relativeTo base: String = FileManager.default.currentDirectoryPath) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var components: [Substring] = []
        for component in joined.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The directory holding `path` (`/` for `/` and top-level entries).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path`.
    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `path` with every symlink resolved, or `nil` when it does not fully exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The absolute `path` with symlinks resolved as far as it exists: the real path
    /// of its nearest existing ancestor followed by the components that do not exist yet.
    static func resolvedPath(_ path: String) -> String {
        var existing = path
        var missing: [String] = []
        while true {
            if let real = realPath(existing) {
                return ([real == "/" ? "" : real] + missing.reversed()).joined(separator: "/")
            }
            if existing == "/" { return path }
            missing.append(lastComponent(of: existing))
            existing = parent(of: existing)
        }
    }

    /// The nearest ancestor of `path` (or `path` itself) that exists.
    static func nearestExistingAncestor(of path: String) -> String {
        var candidate = path
        while candidate != "/" && kind(of: candidate) == nil {
            candidate = parent(of: candidate)
        }
        return candidate
    }

    /// The target of the symlink at `path`, made absolute against its directory.
    static func symlinkTarget(_ path: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) else { return nil }
        return absolutePath(target, relativeTo: parent(of: path))
    }

    // MARK: - Queries

    /// What is at `path` without following a final symlink, or `nil` when nothing is.
    static func kind(of path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Whether `path` exists (following symlinks).
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether `path` is, or points to, a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether `path` is a directory with no entries.
    static func isEmptyDirectory(_ path: String) -> Bool {
        guard isDirectory(path) else { return false }
        return (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? false
    }

    // MARK: - Changes

    /// Creates `path` and any missing ancestors; each directory it creates gets exactly
    /// `mode` (regardless of the umask), and when `owner` is given, that owner.
    ///
    /// - Returns: The directories created, outermost first.
    @discardableResult
    static func createDirectories(_ path: String, mode: mode_t, owner: ServiceAccount? = nil) throws -> [String] {
        var missing: [String] = []
        var candidate = path
        while candidate != "/" && kind(of: candidate) == nil {
            missing.append(candidate)
            candidate = parent(of: candidate)
        }
        var created: [String] = []
        for directory in missing.reversed() {
            if mkdir(directory, mode) != 0 {
                guard errno == EEXIST, isDirectory(directory) else {
                    throw unusable("Could not create directory \(directory): \(lastError())")
                }
                continue
            }
            created.append(directory)
            try setMode(directory, mode)
            if let owner { try setOwner(directory, owner) }
        }
        guard isDirectory(path) else {
            throw unusable("\(path) exists but is not a directory.")
        }
        return created
    }

    /// `chmod(path, mode)`.
    static func setMode(_ path: String, _ mode: mode_t) throws {
        guard chmod(path, mode) == 0 else {
            throw unusable("Could not change the permissions of \(path): \(lastError())")
        }
    }

    /// `chown(path, owner.uid, owner.gid)`.
    static func setOwner(_ path: String, _ owner: ServiceAccount) throws {
        guard chown(path, owner.uid, owner.gid) == 0 else {
            throw unusable("Could not give \(path) to the \(owner.name) user: \(lastError())")
        }
    }

    /// Writes `text` to `path` with `mode`, owned by `owner` when given.
    static func write(_ text: String, to path: String, mode: mode_t, owner: ServiceAccount?) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw unusable("Could not write \(path): \(error)")
        }
        try setMode(path, mode)
        if let owner { try setOwner(path, owner) }
    }

    /// Removes whatever is at `path` (a symlink itself, not its target); no-op when absent.
    static func remove(_ path: String) throws {
        guard kind(of: path) != nil else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw unusable("Could not remove \(path): \(error)")
        }
    }

    /// The text of the current `errno`.
    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    private static func unusable(_ message: String) -> EmbeddedPostgresError {
        EmbeddedPostgresError(code: .dataDirectoryUnusable, message: message)
    }
}
