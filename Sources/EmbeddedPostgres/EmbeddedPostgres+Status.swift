extension EmbeddedPostgres {
    /// The state of a cluster's data directory and server, as reported by
    /// ``EmbeddedPostgres/status()``.
    public enum Status: Sendable, Equatable {
        /// The data directory does not exist or holds no PostgreSQL cluster.
        case notInitialized
        /// The cluster exists but no server is running on it.
        case stopped
        /// A server is running on the cluster.
        ///
        /// - Parameters:
        ///   - pid: The process id of the postmaster.
        case running(pid: Int)
    }
}
