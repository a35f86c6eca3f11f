public import ShortLinkCore

/// The ``GeoLocating`` used when GeoIP is turned off: knows no address.
public struct DisabledGeoLocator: GeoLocating {
    /// Creates the no-op locator.
    public init() {}

    /// Always `nil`.
    /// - Parameter address: ignored.
    public func lookup(_ address: IPAddress) -> GeoLocation? { nil }
}
