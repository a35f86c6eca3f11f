import Synchronization

/// A bounded, thread-safe memo keyed by user-agent string.
///
/// Entries are spread over shards by a cheap hash of the key's tail, each shard a
/// dictionary behind its own `Mutex`, so threads rarely wait on one another. A shard that
/// reaches its share of the capacity is emptied before the next insert: simple, no
/// per-entry bookkeeping, and a user agent seen again is recomputed once.
final class ShardedCache<Value: Sendable>: Sendable {
    private final class Shard: Sendable {
        let entries = Mutex<[String: Value]>([:])
    }

    private let shards: [Shard]
    private let capacityPerShard: Int

    /// Creates an empty cache.
    /// - Parameters:
    ///   - capacity: the most entries kept in total (at least one per shard).
    ///   - shardCount: the number of shards; default 16.
    init(capacity: Int, shardCount: Int = 16) {
        let shardCount = max(1, shardCount)
        shards = (0..<shardCount).map { _ in Shard() }
        capacityPerShard = max(1, capacity / shardCount)
    }

    /// The cached value for `key`, or the value `make` computes, which is then cached.
    /// - Parameters:
    ///   - key: the user agent.
    ///   - make: computes the value on a miss (called without holding a lock).
    func value(for key: String, orInsert make: () -> Value) -> Value {
        let shard = shards[shardIndex(key)]
        if let cached = shard.entries.withLock({ $0[key] }) { return cached }
        let value = make()
        let limit = capacityPerShard
        shard.entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }

    /// The number of cached entries.
    var count: Int {
        shards.reduce(0) { total, shard in total + shard.entries.withLock { $0.count } }
    }

    /// FNV-1a over the length and the last 32 bytes, where user agents differ most (versions).
    private func shardIndex(_ key: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let utf8 = key.utf8
        hash = (hash ^ UInt64(utf8.count)) &* 0x100_0000_01b3
        for byte in utf8.suffix(32) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(hash % UInt64(shards.count))
    }
}
