import Foundation

/// A database URL split into what may appear on a command line and the password, which a
/// child program gets only through `PGPASSWORD` (arguments are visible to every user in `ps`).
/// Handles URLs (`postgresql://user:secret@host/db?…`, `password=` in the query too) and
/// keyword/value strings (`host=… password=secret`).
struct ConnectionSecret: Sendable, Equatable {
    /// The connection string without its password.
    var connection: String
    /// The password, decoded; `nil` when there was none.
    var password: String?

    init(connection: String, password: String?) {
        self.connection = connection
        self.password = password
    }

    /// - Parameter url: `DATABASE_URL` or the embedded cluster's URL.
    init(splitting url: String) {
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            self = Self.splitURL(url)
        } else {
            self = Self.splitKeywords(url)
        }
    }

    /// `text` with every form of the password replaced by `***`, for messages from child programs.
    func redacting(_ text: String) -> String {
        guard let password, !password.isEmpty else { return text }
        var result = text
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        for form in Set([password, encoded]) { result = result.replacingOccurrences(of: form, with: "***") }
        return result
    }

    private static func splitURL(_ url: String) -> ConnectionSecret {
        let schemeEnd = url.range(of: "://")!.upperBound
        let rest = url[schemeEnd...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var password: String?
        var userInfoAndHosts = String(authority)
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
                userInfoAndHosts = String(userInfo[..<colon]) + String(authority[at...])
            }
        }
        var tail = String(rest[authorityEnd...])
        if let question = tail.firstIndex(of: "?") {
            let path = tail[..<question]
            var kept: [Substring] = []
            for parameter in tail[tail.index(after: question)...].split(separator: "&") {
                if parameter.lowercased().hasPrefix("password=") {
                    password = String(parameter.dropFirst("password=".count)).removingPercentEncoding
                } else {
                    kept.append(parameter)
                }
            }
            tail = String(path) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        return ConnectionSecret(connection: String(url[..<schemeEnd]) + userInfoAndHosts + tail, password: password)
    }

    private static func splitKeywords(_ text: String) -> ConnectionSecret {
        var password: String?
        let kept = text.split(separator: " ").filter { part in
            guard part.lowercased().hasPrefix("password=") else { return true }
            var value = part.dropFirst("password=".count)
            if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 { value = value.dropFirst().dropLast() }
            password = String(value)
            return false
        }
        return ConnectionSecret(connection: kept.joined(separator: " "), password: password)
    }
}
