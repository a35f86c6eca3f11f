#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many connections the process can hold open, from its file-descriptor limit.
///
/// Every connection is a descriptor. When they run out, `accept` fails (the listeners back
/// off and retry), but so does everything else that opens one: the pool, the `LISTEN`
/// connection, journal segments, the mmdb, Dispatch's own timer and event descriptors.
/// So the listeners' caps leave a reserve for those below the limit.
struct FileDescriptorBudget: Sendable, Equatable {
    /// The soft `RLIMIT_NOFILE` in force.
    var limit: Int
    /// Descriptors kept for everything but client connections.
    var reserve: Int
    /// The edge's connection cap (the configured one, or less).
    var edgeConnections: Int
    /// The admin listener's connection cap (the configured one, or less).
    var adminConnections: Int

    /// Descriptors besides connections that do not grow with the configuration: stdio,
    /// listening sockets, the mmdb, the spool lock, config files, pipes, Dispatch/NIO
    /// internals, connections being refused at accept.
    static let fixedReserve = 96
    /// Descriptors per event loop or writer thread (epoll, eventfd, timerfd, a journal segment).
    static let perLoopReserve = 4
    /// The share of the connections left after the reserve that the admin listener gets
    /// when one process runs both listeners (at most its configured cap).
    static let adminShare = 5

    /// Splits the limit between the listeners.
    /// - Parameters:
    ///   - limit: the soft descriptor limit.
    ///   - role: which listeners run.
    ///   - edgeConfigured: `edge.maxConnections`.
    ///   - adminConfigured: `admin.maxConnections`.
    ///   - databaseConnections: the pool size (plus the LISTEN connection, counted here).
    ///   - threads: event loops and writer threads.
    static func plan(
        limit: Int, role: ServeRole, edgeConfigured: Int, adminConfigured: Int, databaseConnections: Int, threads: Int
    ) -> FileDescriptorBudget {
        let reserve = fixedReserve + databaseConnections + 1 + perLoopReserve * threads
        let available = max(2, limit - reserve)
        switch role {
        case .edge:
            return FileDescriptorBudget(
                limit: limit, reserve: reserve, edgeConnections: max(1, min(edgeConfigured, available)), adminConnections: 0)
        case .admin:
            return FileDescriptorBudget(
                limit: limit, reserve: reserve, edgeConnections: 0, adminConnections: max(1, min(adminConfigured, available)))
        case .all:
            let admin = max(1, min(adminConfigured, available / adminShare))
            return FileDescriptorBudget(
                limit: limit, reserve: reserve, edgeConnections: max(1, min(edgeConfigured, available - admin)),
                adminConnections: admin)
        }
    }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit and returns the soft limit now in
    /// force (unchanged when raising fails). An unlimited hard limit is capped at 1,048,576.
    static func raiseLimit() -> Int {
        // RLIM_INFINITY is imported as a negative literal; it is all ones.
        let infinity = rlim_t.max
        var limits = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits) == 0 else { return 1_024 }
        let hard = limits.rlim_max == infinity ? 1 << 20 : limits.rlim_max
        if limits.rlim_cur < hard {
            var raised = limits
            raised.rlim_cur = hard
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return limits.rlim_cur == infinity ? 1 << 20 : Int(clamping: limits.rlim_cur)
    }
}
