public import ShortLinkCore
import Synchronization

/// The GeoIP database in use, replaceable while lookups go on.
///
/// Lookups take the current ``GeoIPDatabase`` under a lock (a reference copy, nothing more)
/// and read it outside the lock, so a reload never waits for lookups and lookups only wait for
/// the instant of the swap. A replaced database stays open until its last lookup finishes.
///
/// Reload when the file changed (``reloadIfChanged()``, e.g. on a timer) or on demand
/// (``reload()``, e.g. on SIGHUP). Install a new file by writing it under another name and
/// renaming it over the old one: the rename is detected, and a half-written file is never seen.
/// A failed reload keeps the database in use.
public final class GeoIPLookup: GeoLocating {
    private let current: Mutex<GeoIPDatabase>
    /// Serialises reloads, so two at once cannot open the file twice or swap out of order.
    /// Lookups never take it.
    private let reloading = Mutex(())

    /// The file that is (re)loaded.
    public let path: String

    /// Opens the database at `path`.
    /// - Parameter path: an mmdb file (`SHORTLINKS_GEOIP_DB`).
    /// - Throws: ``GeoIPError`` when the file is missing, unreadable or not a valid mmdb, so
    ///   a bad configuration stops the service at start with a message naming the file.
    public init(path: String) throws(GeoIPError) {
        self.path = path
        self.current = Mutex(try GeoIPDatabase(path: path))
    }

    /// The database lookups use now.
    public var database: GeoIPDatabase {
        current.withLock { $0 }
    }

    /// What the database in use says about itself, for logs.
    public var metadata: GeoIPMetadata { database.metadata }

    /// The location of an address in the current database; `nil` when unknown.
    /// - Parameter address: an IPv4 or IPv6 address.
    public func lookup(_ address: IPAddress) -> GeoLocation? {
        database.lookup(address)
    }

    /// Loads the file again if it is not the one in use (another inode, size or modification
    /// time), e.g. after an installer renamed a new version over it.
    /// - Returns: `true` when a new database was loaded, `false` when the file is unchanged.
    /// - Throws: ``GeoIPError`` when the file changed but cannot be loaded (missing, corrupt);
    ///   the database in use stays, and the next call tries again.
    ///
    /// A file renamed over the loaded one always has another inode: the loaded file's inode
    /// cannot be reused while its mapping holds it.
    @discardableResult
    public func reloadIfChanged() throws(GeoIPError) -> Bool {
        try reloading.withLock { _ throws(GeoIPError) in
            let onDisk = try FileIdentity(path: path)
            guard onDisk != database.identity else { return false }
            try swapIn(GeoIPDatabase(path: path))
            return true
        }
    }

    /// Loads the file again whether or not it changed (for SIGHUP).
    /// - Throws: ``GeoIPError`` when it cannot be loaded; the database in use stays.
    public func reload() throws(GeoIPError) {
        try reloading.withLock { _ throws(GeoIPError) in
            try swapIn(GeoIPDatabase(path: path))
        }
    }

    private func swapIn(_ replacement: GeoIPDatabase) {
        var swapped = replacement
        current.withLock { swap(&$0, &swapped) }
        // `swapped` now holds the old database and is released here, outside the lock, so
        // its MMDB_close (when this was the last reference) never runs while lookups wait.
    }
}
