public import Logging
import Synchronization

/// A `LogHandler` that keeps every record, for tests that check what was logged.
public struct RecordingLogHandler: LogHandler {
    /// One logged record.
    public struct Record: Sendable {
        /// The level.
        public var level: Logger.Level
        /// The message.
        public var message: String
        /// The record's metadata (the handler's merged with the call's).
        public var metadata: Logger.Metadata

        /// The record as a line-oriented handler (`StreamLogHandler`) writes it: level,
        /// message, then `key=value` pairs.
        public var rendered: String {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "[\(level)] \(message) \(pairs)"
        }
    }

    /// The records, shared by every copy of the handler.
    public final class Store: Sendable {
        private let storage = Mutex<[Record]>([])
        /// Creates an empty store.
        public init() {}
        /// Every record so far.
        public var records: [Record] { storage.withLock { $0 } }
        func append(_ record: Record) { storage.withLock { $0.append(record) } }
    }

    let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    /// - Parameter store: where records go.
    public init(store: Store) { self.store = store }

    /// A logger writing into `store`.
    public static func logger(_ store: Store, label: String = "test") -> Logger {
        Logger(label: label) { _ in RecordingLogHandler(store: store) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        store.append(Record(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}
