import Foundation
import Glibc

/// The environment given to every PostgreSQL command this module runs.
enum SubprocessEnvironment {
    /// Variables that would make libpq tools or the server look somewhere else.
    static let removedVariables: Set<String> = [
        "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGDATA",
        "PGSERVICE", "PGOPTIONS", "DATABASE_URL",
    ]

    /// The inherited environment, minus ``removedVariables``, with `LC_ALL` set to
    /// `C.UTF-8` when that locale exists and to `C` otherwise.
    static func make(from inherited: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = inherited.filter { !removedVariables.contains($0.key) }
        environment["LC_ALL"] = utf8LocaleIsAvailable ? "C.UTF-8" : "C"
        if environment["PATH"] == nil {
            environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        }
        return environment
    }

    /// Whether the C library can load the `C.UTF-8` locale.
    static let utf8LocaleIsAvailable: Bool = {
        guard let locale = newlocale(1 << LC_CTYPE, "C.UTF-8", nil) else { return false }
        freelocale(locale)
        return true
    }()
}
