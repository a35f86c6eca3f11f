import Foundation

/// The `shortlinks.conf` file this module keeps inside the data directory, and the
/// `include` line that makes `postgresql.conf` read it, so `pg_ctl start` needs no `-o`.
struct ClusterSettingsFile: Sendable {
    /// The file name inside the data directory.
    static let fileName = "shortlinks.conf"

    /// The line appended (once) to `postgresql.conf`.
    static let includeLine = "include '\(fileName)'"

    /// The settings, user settings first, then the ones this module owns.
    let settings: [String: String]
    /// The port naming the socket file.
    let port: Int
    /// The absolute directory for the Unix-domain socket.
    let socketDirectory: String

    /// The contents of `shortlinks.conf`.
    func render() -> String {
        let managed = ["listen_addresses", "port", "unix_socket_directories"]
        var lines = [
            "# Written by shortlinks (EmbeddedPostgres) before every start; edits are overwritten.",
            "# Included from postgresql.conf. Later lines win.",
        ]
        for (name, value) in settings.sorted(by: { $0.key < $1.key }) where !managed.contains(name) {
            lines.append("\(name) = \(Self.quoted(value))")
        }
        lines += [
            "",
            "# Unix socket in the data directory only; no TCP.",
            "listen_addresses = ''",
            "port = \(port)",
            "unix_socket_directories = \(Self.quoted(socketDirectory))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `shortlinks.conf` into the layout's cluster directory and makes sure
    /// `postgresql.conf` includes it exactly once.
    ///
    /// - Parameters:
    ///   - layout: The cluster's layout.
    ///   - owner: The user the files must belong to (root runs only), else `nil`.
    func install(in layout: ClusterLayout, owner: ServiceAccount?) throws {
        try FileSystem.write(render(), to: layout.settingsFilePath, mode: 0o600, owner: owner)

        let confPath = layout.postgresqlConfPath
        guard let conf = try? String(contentsOfFile: confPath, encoding: .utf8) else {
            throw EmbeddedPostgresError(
                code: .dataDirectoryUnusable,
                message: "Could not read \(confPath); the cluster looks damaged. Remove the data directory to start over.")
        }
        let alreadyIncluded = conf.split(separator: "\n").contains {
            $0.trimmingCharacters(in: .whitespaces) == Self.includeLine
        }
        guard !alreadyIncluded else { return }
        let separator = conf.hasSuffix("\n") || conf.isEmpty ? "" : "\n"
        let appended = conf + separator + "\n# Added by shortlinks (EmbeddedPostgres).\n" + Self.includeLine + "\n"
        try FileSystem.write(appended, to: confPath, mode: 0o600, owner: owner)
    }

    /// `value` as a single-quoted `postgresql.conf` string (valid for every parameter type).
    static func quoted(_ value: String) -> String {
        let escaped =
            value
            .replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "''")
            .replacingOccurrences(of: "\n", with: " ")
        return "'" + escaped + "'"
    }
}
