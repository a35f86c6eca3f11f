import Synchronization

/// What each churn link's target was, and when, so an answer can be judged against the
/// target that was current within the coherence window. Times are monotonic ns.
///
/// A target is acceptable from the moment its change was *sent* (the database may commit it
/// before the API answers) until the next change was *acknowledged* plus the window (caches
/// may lag that long). A new link may answer 404 until its creation was acknowledged plus
/// the window.
public final class ChurnLedger: Sendable {
    struct Version: Sendable {
        var target: String
        var from: UInt64
        var supersededAt: UInt64?
    }

    struct Slot: Sendable {
        var code: String
        var id: String
        var versions: [Version]
        var createdAt: UInt64
    }

    private let state: Mutex<[Slot]>
    /// The coherence window in ns.
    public let window: UInt64

    /// - Parameters:
    ///   - links: the links created before the run (their targets are current from time 0).
    ///   - window: the coherence window in ns.
    public init(links: LinkSet, window: UInt64) {
        self.window = window
        state = Mutex(
            links.codes.indices.map { index in
                Slot(code: links.codes[index], id: links.ids[index], versions: [Version(target: links.targets[index], from: 0)], createdAt: 0)
            })
    }

    /// How many links are live.
    public var count: Int { state.withLock { $0.count } }

    /// The code of link `slot`.
    public func code(_ slot: Int) -> String { state.withLock { $0[slot].code } }

    /// The admin id of link `slot`.
    public func id(_ slot: Int) -> String { state.withLock { $0[slot].id } }

    /// A link was created (and acknowledged) at `now`: it joins the links requests go to.
    public func created(code: String, id: String, target: String, sentAt: UInt64, now: UInt64) {
        state.withLock { $0.append(Slot(code: code, id: id, versions: [Version(target: target, from: sentAt)], createdAt: now)) }
    }

    /// A target change for `slot` is about to be sent at `now`; returns its version index.
    public func changing(_ slot: Int, to target: String, now: UInt64) -> Int {
        state.withLock { slots in
            slots[slot].versions.append(Version(target: target, from: now))
            return slots[slot].versions.count - 1
        }
    }

    /// The change was acknowledged at `now`: earlier targets expire a window later.
    public func changed(_ slot: Int, version: Int, now: UInt64) {
        state.withLock { slots in
            for k in 0..<version where slots[slot].versions[k].supersededAt == nil {
                slots[slot].versions[k].supersededAt = now
            }
        }
    }

    /// Judges an answer for `slot` sent at `sent`, received at `received`: `nil` when
    /// coherent, else what was wrong.
    public func check(slot: Int, status: Int, location: String?, sent: UInt64, received: UInt64) -> String? {
        state.withLock { slots -> String? in
            let link = slots[slot]
            if status == 404, received < link.createdAt + window { return nil }
            if (300..<400).contains(status), let location {
                for version in link.versions where version.target == location {
                    if version.from <= received, version.supersededAt.map { $0 + window >= sent } ?? true { return nil }
                }
            }
            let current = link.versions.last!
            return "/\(link.code) answered \(status) \(location ?? "-"); current target \(current.target)"
                + " (\((received &- min(received, current.from)) / 1_000_000) ms old)"
        }
    }
}
