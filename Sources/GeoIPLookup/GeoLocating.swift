public import ShortLinkCore

/// Something that turns an IP address into a ``GeoLocation``: a ``GeoIPLookup`` over a real
/// database, or ``DisabledGeoLocator`` when GeoIP is turned off.
///
/// Called by the click pipeline off the event loops, from any thread.
public protocol GeoLocating: Sendable {
    /// The location of an address; `nil` when unknown.
    /// - Parameter address: an IPv4 or IPv6 address.
    func lookup(_ address: IPAddress) -> GeoLocation?
}

extension GeoLocating where Self == DisabledGeoLocator {
    /// No GeoIP: every lookup is `nil`.
    public static var disabled: DisabledGeoLocator { DisabledGeoLocator() }
}
