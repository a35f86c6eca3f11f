import CMaxMindDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A path into a record (`country`, `iso_code`) in the form `MMDB_aget_value` wants: an array
/// of NUL-terminated C strings ending in NULL. Made once and shared, so a lookup allocates nothing
/// for its paths. (`MMDB_get_value` itself is variadic and cannot be called from Swift.)
final class MMDBPath: @unchecked Sendable {  // immutable after init; the C strings are only read
    /// The NULL-terminated array.
    let components: UnsafeMutablePointer<UnsafePointer<CChar>?>
    private let count: Int

    /// Copies the keys into C strings.
    /// - Parameter keys: map keys from the record's root.
    init(_ keys: String...) {
        count = keys.count
        components = .allocate(capacity: keys.count + 1)
        for (index, key) in keys.enumerated() {
            components[index] = UnsafePointer(strdup(key))
        }
        components[keys.count] = nil
    }

    deinit {
        for index in 0..<count {
            free(UnsafeMutablePointer(mutating: components[index]))
        }
        components.deallocate()
    }

    /// `country.iso_code`: the country the address is in.
    static let countryISOCode = MMDBPath("country", "iso_code")
    /// `registered_country.iso_code`: where the network is registered (used when `country` is absent).
    static let registeredCountryISOCode = MMDBPath("registered_country", "iso_code")
    /// `city.names.en`: the city's English name.
    static let cityEnglishName = MMDBPath("city", "names", "en")
}
