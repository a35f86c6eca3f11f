/// Small helpers for connection URLs that must never be printed with their password.
public enum PGConnectionURL {
    /// The URL with any password replaced by `***` (for logs and `--help` output).
    /// - Parameter url: a `postgres://` / `postgresql://` URL or a key=value string.
    public static func redacted(_ url: String) -> String {
        guard let password = password(in: url), !password.isEmpty else { return url }
        return replacingAll(password, in: url, with: "***")
    }

    /// `text` with every occurrence of `target` replaced (no Foundation on this layer).
    static func replacingAll(_ target: String, in text: String, with replacement: String) -> String {
        let needle = Array(target.utf8)
        guard !needle.isEmpty else { return text }
        let haystack = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(haystack.count)
        var index = 0
        while index < haystack.count {
            if index + needle.count <= haystack.count, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                output.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                output.append(haystack[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The password embedded in a URL (`user:password@` or `password=`), if any.
    /// - Parameter url: the connection string.
    static func password(in url: String) -> String? {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
            let authority = afterScheme.prefix { $0 != "/" && $0 != "?" }
            if let at = authority.lastIndex(of: "@") {
                let userInfo = authority[..<at]
                if let colon = userInfo.firstIndex(of: ":") {
                    return String(userInfo[userInfo.index(after: colon)...])
                }
            }
            if let query = url.firstIndex(of: "?") {
                for pair in url[url.index(after: query)...].split(separator: "&") where pair.hasPrefix("password=") {
                    return String(pair.dropFirst("password=".count))
                }
            }
            return nil
        }
        for pair in url.split(separator: " ") where pair.hasPrefix("password=") {
            return String(pair.dropFirst("password=".count))
        }
        return nil
    }
}
