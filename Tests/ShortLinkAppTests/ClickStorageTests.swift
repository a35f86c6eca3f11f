import ClickPipeline
import EmbeddedPostgres
import Foundation
import LibPQ
import Logging
import Prometheus
import ShortLinkApp
import ShortLinkCore
import ShortLinkTesting
import Storage
import Testing

/// Redirects over loopback become click rows in a real Postgres, enriched with the bot
/// verdict, GeoIP (the generated mmdb) and the user-agent parser.
@Suite(.teardown) struct ClickStorageTests {
    @Test func redirects_becomeExactlyOneRowEach_withEveryField() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let linkID = try await insertLink(db.pool, code: "rows")
        let service = try await RunningService(
            url: db.url, pool: db.pool, trustedProxies: [CIDR("127.0.0.1/32")!])
        let chrome =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
        let started = Timestamp.now()
        let count = 120
        for index in 0..<count {
            let (address, _) = TestGeoIP.knownLocations[index % TestGeoIP.knownLocations.count]
            let port = service.port
            let response = try await offload {
                try LoopbackHTTP.request(
                    port: port, path: "/rows",
                    headers: ["User-Agent: \(chrome)", "Referer: https://news.example/\(index)", "X-Forwarded-For: \(address)"])
            }
            #expect(response.status == 302)
        }
        let ended = Timestamp.now()
        try await service.shutdown()

        #expect(try await clickCounts(db.pool, code: "rows") == (count, count))
        let rows = try await db.pool.query(
            """
            SELECT link_id::text, "timestamp", host(ip_address), user_agent, referrer, country, city, is_bot, bot_reason,
                   device, browser, os, visitor_hash
            FROM clicks ORDER BY id
            """)
        var referrers = Set<String>()
        for (index, row) in rows.enumerated() {
            #expect(try row.decode(0, as: String.self) == linkID)
            let time = try row.decode(1, as: PGTimestamp.self).microsecondsSinceEpoch
            #expect(time >= started.microsecondsSinceEpoch && time <= ended.microsecondsSinceEpoch)
            let address = try row.decode(2, as: String.self)
            let expected = try #require(TestGeoIP.knownLocations.first { IPAddress($0.address) == IPAddress(address) })
            #expect(try row.decode(5, as: String?.self) == expected.location.countryCode, "row \(index) \(address)")
            #expect(try row.decode(6, as: String?.self) == expected.location.city, "row \(index) \(address)")
            #expect(try row.decode(3, as: String.self) == chrome)
            referrers.insert(try row.decode(4, as: String.self))
            #expect(try row.decode(7, as: Bool.self) == false)
            #expect(try row.decode(8, as: String?.self) == nil)
            #expect(try row.decode(9, as: String?.self) == "desktop")
            #expect(try row.decode(10, as: String?.self) == "Chrome")
            #expect(try row.decode(11, as: String?.self) == "Windows")
            #expect(try row.decode(12, as: Int64?.self) != nil)
        }
        // Every referrer arrived exactly once.
        #expect(referrers == Set((0..<count).map { "https://news.example/\($0)" }))
        #expect(service.clicks.statistics.written == count)
        #expect(service.clicks.statistics.dropped == 0)
        #expect(journalFiles(in: service.spool).isEmpty)
        // What /metrics will show.
        let metrics = service.assembly.metrics.emitToString()
        #expect(metrics.contains("shortlinks_clicks_written_total \(count)\n"))
        #expect(metrics.contains("shortlinks_clicks_dropped_total 0\n"))
        #expect(metrics.contains("shortlinks_click_queue_clicks 0"))
        #expect(metrics.contains("shortlinks_click_batch_duration_seconds_count"))
    }

    @Test func forwardedFor_isIgnoredFromAnUntrustedPeer_andAddressesAreAnonymisedAfterTheLookup() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "anon")
        // 127.0.0.1 is not trusted here: the forwarded header must not be believed.
        let untrusted = try await RunningService(url: db.url, pool: db.pool)
        let untrustedPort = untrusted.port
        _ = try await offload { try LoopbackHTTP.request(port: untrustedPort, path: "/anon", headers: ["X-Forwarded-For: 81.2.69.142"]) }
        try await untrusted.shutdown()
        let trusted = try await RunningService(
            url: db.url, pool: db.pool, trustedProxies: [CIDR("127.0.0.0/8")!], anonymizeIP: true)
        let trustedPort = trusted.port
        _ = try await offload { try LoopbackHTTP.request(port: trustedPort, path: "/anon", headers: ["X-Forwarded-For: 81.2.69.142"]) }
        _ = try await offload { try LoopbackHTTP.request(port: trustedPort, path: "/anon", headers: ["X-Forwarded-For: 2001:db8:1::1"]) }
        try await trusted.shutdown()

        // Two connections may land on two event loops: order by address, not by id.
        let rows = try await db.pool.query("SELECT host(ip_address), country, city FROM clicks ORDER BY host(ip_address)")
        let stored = try rows.map { [try $0.decode(0, as: String.self), try $0.decode(1, as: String?.self), try $0.decode(2, as: String?.self)] }
        #expect(stored.count == 3)
        #expect(stored[0] == ["127.0.0.1", nil, nil])
        #expect(stored[1] == ["2001:db8:1::", "DE", "Berlin"])
        #expect(stored[2] == ["81.2.69.0", "GB", "London"])
    }

    @Test func everyReasonToken_isStoredForARequestThatShowsIt() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        try await insertLink(db.pool, code: "bots")
        let service = try await RunningService(
            url: db.url, pool: db.pool, trustedProxies: [CIDR("127.0.0.1/32")!],
            botIPLists: ["monitoring": [CIDR("198.51.100.0/24")!]])
        let browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15"
        let cases: [(method: String, headers: [String], reason: String?)] = [
            ("HEAD", ["User-Agent: \(browser)"], "method:head"),
            ("GET", ["User-Agent: \(browser)", "Sec-Purpose: prefetch;prerender"], "prefetch:sec-purpose"),
            ("GET", ["User-Agent: \(browser)", "Purpose: prefetch"], "prefetch:purpose"),
            ("GET", ["User-Agent: \(browser)", "X-Purpose: preview"], "prefetch:x-purpose"),
            ("GET", ["User-Agent: \(browser)", "X-Moz: prefetch"], "prefetch:x-moz"),
            ("GET", [], "ua:empty"),
            ("GET", ["User-Agent: Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"], "preview:slack"),
            (
                "GET", ["User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36"],
                "headless:chrome"
            ),
            ("GET", ["User-Agent: curl/8.4.0"], "library:curl"),
            ("GET", ["User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"], "crawler:googlebot"),
            ("GET", ["User-Agent: AcmeSpider/3.1"], "keyword:spider"),
            ("GET", ["User-Agent: \(browser)", "X-Forwarded-For: 198.51.100.9"], "ip:monitoring"),
            ("GET", ["User-Agent: \(browser)", "X-Forwarded-For: 203.0.113.7"], nil),
        ]
        for (index, item) in cases.enumerated() {
            // A distinct Referer ties each row to its case.
            let port = service.port
            let response = try await offload {
                try LoopbackHTTP.request(
                    port: port, path: "/bots", method: item.method, headers: item.headers + ["Referer: case-\(index)"])
            }
            #expect(response.status == 302)
        }
        try await service.shutdown()

        let rows = try await db.pool.query("SELECT referrer, is_bot, bot_reason FROM clicks")
        var stored: [String: (Bool, String?)] = [:]
        for row in rows { stored[try row.decode(0, as: String.self)] = (try row.decode(1, as: Bool.self), try row.decode(2, as: String?.self)) }
        #expect(stored.count == cases.count)
        for (index, item) in cases.enumerated() {
            let row = try #require(stored["case-\(index)"])
            #expect(row.1 == item.reason, "case \(index): \(item.headers)")
            #expect(row.0 == (item.reason != nil), "case \(index)")
        }
    }

    @Test func replayingTheSameJournalTwice_storesEachClickOnce() async throws {
        let db = try await TestPostgres.database()
        onTeardown { await db.drop() }
        let linkID = try #require(EntityID(try await insertLink(db.pool, code: "replay")))
        let spool = temporarySpool()
        // What a crashed process leaves: records in a journal file, none acknowledged.
        var records: [UInt8] = []
        var random = SystemRandomNumberGenerator()
        for index in 0..<50 {
            let agent = Array("agent-\(index)".utf8)
            agent.withUnsafeBytes { raw in
                var fields = ClickRecord.Fields()
                fields[.userAgent] = raw
                ClickRecord.append(
                    to: &records, id: EntityID.version7(unixMilliseconds: UInt64(Timestamp.now().unixMilliseconds), using: &random),
                    linkID: linkID, timestamp: .now(), clientIP: IPAddress("8.8.8.8"), method: .get, fields: fields)
            }
        }
        let copy = spool + "/copy"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        let crashed = try CaptureJournal(configuration: .init(directory: spool), initialSegments: 0)
        try crashed.saveForNextStart(records)
        crashed.close()
        let left = try #require(journalFiles(in: spool).first)
        try FileManager.default.copyItem(atPath: spool + "/" + left, toPath: copy + "/" + left)

        let first = try await RunningService(url: db.url, pool: db.pool, spool: spool)
        try await waitUntil { try await clickCounts(db.pool, code: "replay").rows == 50 }
        try await first.shutdown()
        #expect(first.clicks.statistics.replayed == 50)
        #expect(journalFiles(in: spool).isEmpty)

        // The same file again (as after a crash between commit and delete): nothing new.
        let second = try await RunningService(url: db.url, pool: db.pool, spool: copy)
        try await waitUntil { second.clicks.statistics.duplicates == 50 }
        try await second.shutdown()
        #expect(try await clickCounts(db.pool, code: "replay") == (50, 50))
        let cities = try await db.pool.query("SELECT DISTINCT city FROM clicks")
        #expect(try cities.map { try $0.decode(0, as: String?.self) } == ["Mountain View"])
    }
}

/// Polls `condition` for up to `timeout`.
func waitUntil(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    Issue.record("condition not met within \(timeout)")
}
