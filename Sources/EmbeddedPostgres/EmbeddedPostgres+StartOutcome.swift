extension EmbeddedPostgres {
    /// What ``EmbeddedPostgres/start()`` had to do to get the server running.
    public enum StartOutcome: Sendable, Equatable {
        /// The data directory was empty: `initdb` created the cluster, then the server was started.
        case initializedAndStarted
        /// The cluster existed and was stopped; the server was started.
        case started
        /// The server was already running; nothing was started.
        case alreadyRunning
    }
}
