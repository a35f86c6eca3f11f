import Foundation

/// User agents for the mixed scenario, labelled by the file they come from.
public enum UserAgents {
    /// A desktop Chrome user agent (the redirect scenario's, and a human default).
    public static let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

    /// Used when no `--human-uas` file is given.
    public static let defaultHumans = [
        chrome,
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    ]

    /// Used when no `--bot-uas` file is given.
    public static let defaultBots = [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    ]

    /// Reads one user agent per line, skipping empty lines and lines that cannot travel as a
    /// header value (control characters).
    /// - Parameter path: the file.
    public static func load(path: String) throws -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LoadTestError(.badInput, "cannot read the user-agent file \(path)")
        }
        let agents = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { RequestEncoder.isValidHeaderValue($0) }
        guard !agents.isEmpty else { throw LoadTestError(.badInput, "no usable user agent in \(path)") }
        return agents
    }
}
