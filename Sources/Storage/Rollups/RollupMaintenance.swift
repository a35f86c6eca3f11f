public import LibPQ
import ShortLinkCore

/// Recomputes rollups from raw clicks (`shortlinks rollups rebuild`).
public struct RollupMaintenance: Sendable {
    let pool: PGPool

    /// Creates the maintenance handle.
    /// - Parameter pool: the database.
    public init(pool: PGPool) { self.pool = pool }

    /// The first and last UTC day (days since 1970-01-01) holding raw clicks, or `nil`.
    public func rawClickDays() async throws -> ClosedRange<Int64>? {
        let rows = try await pool.query(
            """
            SELECT (min("timestamp") AT TIME ZONE 'UTC')::date - DATE '1970-01-01',
                   (max("timestamp") AT TIME ZONE 'UTC')::date - DATE '1970-01-01'
            FROM clicks
            """)
        guard let row = rows.first, let first = try row.decode(0, as: Int?.self), let last = try row.decode(1, as: Int?.self)
        else { return nil }
        return Int64(first)...Int64(last)
    }

    /// Rebuilds every rollup row of the UTC days in `days` from raw clicks, one day per
    /// transaction, with the same SQL the click writer uses (`apply_click_rollups`).
    ///
    /// Days before the first raw click are skipped: their raw partitions may have been
    /// dropped by retention, and their rollups are all that is left.
    /// - Parameters:
    ///   - days: days since 1970-01-01, inclusive.
    ///   - progress: called after each day with the day and the clicks it held.
    /// - Returns: days rebuilt and clicks applied.
    public func rebuild(
        days: ClosedRange<Int64>, progress: @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> (days: Int, clicks: Int64) {
        guard let raw = try await rawClickDays() else { return (0, 0) }
        let first = max(days.lowerBound, raw.lowerBound)
        guard first <= days.upperBound else { return (0, 0) }
        var total: Int64 = 0
        var count = 0
        for day in first...days.upperBound {
            let applied = try await pool.transaction { connection in
                try connection.query(
                    "SELECT rebuild_click_rollups(DATE '1970-01-01' + $1::integer, DATE '1970-01-01' + $1::integer + 1)",
                    [Int(day)]
                )[0].decode(0, as: Int64.self)
            }
            total += applied
            count += 1
            progress(day, applied)
        }
        return (count, total)
    }
}
