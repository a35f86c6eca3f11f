/// Where an IP address is, as far as a GeoIP database knows: stored with each click.
public struct GeoLocation: Sendable, Hashable {
    /// ISO 3166-1 alpha-2 country code, e.g. `CH`; `nil` when unknown.
    public var countryCode: String?
    /// The city's English name, e.g. `Zürich`; `nil` when unknown.
    public var city: String?

    /// Creates a location.
    /// - Parameters:
    ///   - countryCode: ISO 3166-1 alpha-2 code; default `nil` (unknown).
    ///   - city: English city name; default `nil` (unknown).
    public init(countryCode: String? = nil, city: String? = nil) {
        self.countryCode = countryCode
        self.city = city
    }
}
