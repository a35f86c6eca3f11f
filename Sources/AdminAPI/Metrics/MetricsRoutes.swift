import Hummingbird
import ShortLinkCore
import Storage

/// `GET /api/v1/metrics` (the organisation) and `GET /api/v1/{links|campaigns|clients|tags}/{id}/metrics`:
/// aggregated clicks from the rollup tables, bots excluded unless `includeBots=true`.
struct MetricsRoutes {
    let api: AdminAPI

    func register(on router: Router<AdminRequestContext>) {
        let metrics = api.database.metrics

        @Sendable func answer(_ request: Request, _ scope: MetricsScope, _ what: String) async throws -> Response {
            let parameters = try MetricsParameters(RouteSupport.query(request), scope: scope)
            guard try await metrics.exists(scope) else { throw APIError.notFound(what) }
            let report = try await metrics.report(parameters.query)
            return JSONResponse.make(MetricsJSON.render(report, query: parameters.query))
        }

        router.get("/api/v1/metrics") { request, _ in
            try await answer(request, .organisation, "organisation")
        }
        router.get("/api/v1/links/{linkId}/metrics") { request, context in
            try await answer(request, .link(try RouteSupport.id(context, "linkId", "link")), "link")
        }
        router.get("/api/v1/campaigns/{campaignId}/metrics") { request, context in
            try await answer(request, .campaign(try RouteSupport.id(context, "campaignId", "campaign")), "campaign")
        }
        router.get("/api/v1/clients/{clientId}/metrics") { request, context in
            try await answer(request, .client(try RouteSupport.id(context, "clientId", "client")), "client")
        }
        router.get("/api/v1/tags/{tagId}/metrics") { request, context in
            try await answer(request, .tag(try RouteSupport.id(context, "tagId", "tag")), "tag")
        }
    }
}

/// The JSON shape of a metrics report.
enum MetricsJSON {
    static func render(_ report: MetricsReport, query: MetricsQuery) -> JSONValue {
        func count(_ value: Int64) -> JSONValue { .number(Double(value)) }
        func entries(_ dimension: MetricsDimension, _ key: String) -> JSONValue {
            .array(
                (report.top[dimension] ?? []).map { entry in
                    [key: entry.value.isEmpty ? .null : .string(entry.value), "clicks": count(entry.clicks)]
                })
        }
        let cities: JSONValue = .array(
            (report.top[.city] ?? []).map { entry in
                let parts = entry.value.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
                let country = parts.first.map(String.init) ?? ""
                let city = parts.count > 1 ? String(parts[1]) : ""
                return [
                    "city": city.isEmpty ? .null : .string(city), "country": country.isEmpty ? .null : .string(country),
                    "clicks": count(entry.clicks),
                ]
            })
        var members: [JSONMember] = [
            JSONMember("scope", scope(query.scope)),
            JSONMember("from", .string(report.from.iso8601)),
            JSONMember("to", .string(report.to.iso8601)),
            JSONMember("interval", .string(query.interval.rawValue)),
            JSONMember("tz", .string(query.timeZone)),
            JSONMember("includeBots", .bool(query.includeBots)),
            JSONMember(
                "totals",
                [
                    "clicks": count(report.totals.clicks),
                    "uniqueVisitors": count(report.totals.uniqueVisitors),
                    "humanClicks": count(report.totals.humanClicks),
                    "botClicks": count(report.totals.botClicks),
                ]),
            JSONMember(
                "series",
                .array(
                    report.series.map { bucket in
                        [
                            "start": .string(LocalTime.format(bucket.start, offsetSeconds: bucket.utcOffsetSeconds)),
                            "clicks": count(bucket.clicks),
                            "uniqueVisitors": count(bucket.uniqueVisitors),
                            "botClicks": count(bucket.botClicks),
                        ]
                    })),
            JSONMember(
                "top",
                [
                    "countries": entries(.country, "country"),
                    "cities": cities,
                    "referrers": entries(.referrer, "host"),
                    "devices": entries(.device, "device"),
                    "browsers": entries(.browser, "browser"),
                    "os": entries(.os, "os"),
                    "botReasons": entries(.botReason, "reason"),
                ]),
        ]
        if let links = report.topLinks {
            members.append(
                JSONMember(
                    "topLinks",
                    .array(
                        links.map { link in
                            ["id": .string(link.id.description), "shortCode": .string(link.shortCode), "clicks": count(link.clicks)]
                        })))
        }
        return .object(members)
    }

    static func scope(_ scope: MetricsScope) -> JSONValue {
        switch scope {
        case .organisation: ["type": "organisation"]
        case .link(let id): ["type": "link", "id": .string(id.description)]
        case .campaign(let id): ["type": "campaign", "id": .string(id.description)]
        case .client(let id): ["type": "client", "id": .string(id.description)]
        case .tag(let id): ["type": "tag", "id": .string(id.description)]
        }
    }
}

/// RFC 3339 local times: `2026-03-29T00:00:00+01:00`.
enum LocalTime {
    static func format(_ instant: Timestamp, offsetSeconds: Int) -> String {
        let shifted = instant.adding(seconds: Int64(offsetSeconds)).iso8601  // …T00:00:00.000000Z
        let base = shifted.prefix(19)
        guard offsetSeconds != 0 else { return base + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        let hours = magnitude / 3600
        let minutes = magnitude / 60 % 60
        return base + sign + (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }
}
