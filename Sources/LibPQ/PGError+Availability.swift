extension PGError {
    /// Whether the failure says the database cannot be used right now, rather than that the
    /// statement was wrong: the server is down, restarting or refusing sessions (SQLSTATE
    /// class 08, 57P01–57P05, 53300), the connection broke with no SQLSTATE, the pool had no
    /// connection in time or was shut down, or new sessions cannot load a server library
    /// (see ``isLibraryLoadFailure``). Callers answer 503 and may try again later.
    public var isUnavailable: Bool {
        switch code {
        case .connectionLost, .connectionFailed, .poolTimeout, .closed: return true
        default: break
        }
        if let sqlState, sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState == "53300" { return true }
        return isLibraryLoadFailure
    }

    /// Whether the session broke, so the statement may or may not have run and the pool's
    /// other idle sessions are suspect too (a restart or `pg_terminate_backend`).
    var isConnectionLevel: Bool {
        code == .connectionLost || code == .connectionFailed
    }

    /// Whether this is the failure of a server whose binaries were replaced under it (e.g.
    /// `apt-get install postgresql-15` moving 15.18 to 15.20 while the cluster runs): a new
    /// backend cannot `dlopen` a library such as `plpgsql.so` because the running server
    /// lacks a symbol the new file needs. Sessions opened before still work; every new one
    /// fails when it first calls a PL/pgSQL function. Only a restart of the server helps.
    ///
    /// Postgres reports it as `could not load library "…": …: undefined symbol: …` with
    /// SQLSTATE 58P01 or XX000 (depending on the errno `dlopen` left).
    public var isLibraryLoadFailure: Bool {
        guard sqlState == nil || sqlState == "58P01" || sqlState == "XX000" else { return false }
        return message.contains("could not load library") && message.contains("undefined symbol")
    }
}
