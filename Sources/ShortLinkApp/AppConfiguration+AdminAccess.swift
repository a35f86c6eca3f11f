import AdminAPI
import Configuration
import Foundation

extension AppConfiguration {
    /// The admin API's access settings: its public URL (for the OpenAPI document's `servers`),
    /// the CORS origin allow-list and the per-caller rate limit.
    /// - Parameters:
    ///   - reader: the configuration.
    ///   - admin: the settings to complete.
    static func readAdminAccess(_ reader: ConfigReader, into admin: inout AdminConfiguration) throws {
        if var url = reader.string(forKey: "admin.publicUrl").flatMap({ $0.isEmpty ? nil : $0 }) {
            while url.hasSuffix("/") { url.removeLast() }
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.split(separator: "/").count >= 2,
                !url.contains(where: { $0.isWhitespace || $0 == "?" || $0 == "#" })
            else {
                throw AppError(
                    code: .invalidConfiguration,
                    message: "SHORTLINKS_ADMIN_PUBLIC_URL: not an http(s) URL with a host (e.g. https://admin.sho.rt)")
            }
            admin.publicURL = url
        }
        var origins: [String] = []
        for origin in list(reader, "admin.corsAllowedOrigins") {
            guard isOrigin(origin) else {
                throw AppError(
                    code: .invalidConfiguration,
                    message:
                        "SHORTLINKS_ADMIN_CORS_ALLOWED_ORIGINS: '\(origin.debugEscaped)' is not an origin (scheme://host[:port], no path; * is not allowed)"
                )
            }
            origins.append(origin)
        }
        admin.corsAllowedOrigins = origins
        let perSecond = reader.double(forKey: "admin.rateLimitPerSecond", default: 0)
        let burst = reader.int(forKey: "admin.rateLimitBurst", default: 0)
        guard perSecond >= 0, perSecond.isFinite, burst >= 0 else {
            throw AppError(
                code: .invalidConfiguration, message: "admin.rateLimitPerSecond and admin.rateLimitBurst must not be negative (0 turns the limit off)"
            )
        }
        admin.rateLimit = RateLimitConfiguration(perSecond: perSecond, burst: burst)
    }

    /// `http(s)://host[:port]` with nothing after it.
    static func isOrigin(_ text: String) -> Bool {
        var rest: Substring
        if text.hasPrefix("https://") {
            rest = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            rest = text.dropFirst(7)
        } else {
            return false
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        return !rest.isEmpty && !rest.contains(where: { "/?#@* \t".contains($0) })
    }
}

extension String {
    /// The text with anything outside printable ASCII escaped, for error messages.
    fileprivate var debugEscaped: String {
        String(
            unicodeScalars.flatMap { scalar -> [Character] in
                (0x20..<0x7F).contains(scalar.value) ? [Character(scalar)] : Array(scalar.escaped(asASCII: true))
            })
    }
}
