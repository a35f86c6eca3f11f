import Synchronization

/// The edge's connection counts, shared by the accepting handler, the server (draining)
/// and scrapes. Atomics touched once per connection, never per request.
final class ConnectionCounters: Sendable {
    /// The values at one moment.
    struct Values: Sendable, Equatable {
        var open = 0
        var accepted = 0
        var refusedGlobalCap = 0
        var refusedPerClientCap = 0
        var refusedNoDescriptors = 0
    }

    let open = Atomic<Int>(0)
    let accepted = Atomic<Int>(0)
    let refusedGlobalCap = Atomic<Int>(0)
    let refusedPerClientCap = Atomic<Int>(0)
    let refusedNoDescriptors = Atomic<Int>(0)

    var values: Values {
        Values(
            open: open.load(ordering: .relaxed), accepted: accepted.load(ordering: .relaxed),
            refusedGlobalCap: refusedGlobalCap.load(ordering: .relaxed),
            refusedPerClientCap: refusedPerClientCap.load(ordering: .relaxed),
            refusedNoDescriptors: refusedNoDescriptors.load(ordering: .relaxed))
    }
}
