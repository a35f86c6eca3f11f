import BotDetection
import Foundation
import ShortLinkApp
import ShortLinkTesting
import Testing

/// `shortlinks classify --eval DIR`: the corpus folder, the counts, the JSON line, the errors.
@Suite struct ClassifyOperationTests {
    private static let bots = ["curl/8.4.0", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "AcmeSyncService/3.1"]
    private static let iPhone =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    private static let windows =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
    private static let humans = [iPhone, windows, "python-requests/2.31.0"]
    private static let inApp = [
        "Mozilla/5.0 (Linux; Android 12; Pixel 6 Build/SQ3A.220705.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/460.0.0.48.109;]"
    ]
    private static let expectedLine =
        #"{"bots":{"total":3,"detected":3},"humans":{"total":3,"flagged":1},"inapp":{"total":1,"flagged":0},"labeled":{"total":2,"device":2,"os":1,"browser":2}}"#

    /// A corpus folder in a temporary directory; `omit` leaves one file out.
    private func makeCorpus(omit: String? = nil) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("classify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let labeled = [
            #"{"user_agent": "\#(Self.iPhone)", "os": "iOS", "browser": "Mobile Safari", "device_type": "smartphone", "client_type": "browser"}"#,
            #"{"user_agent": "\#(Self.windows)", "os": "Mac", "browser": "chrome", "device_type": "Desktop"}"#,
        ]
        let files = [
            ClassifyOperation.CorpusFile.bots: Self.bots.joined(separator: "\n") + "\n",
            ClassifyOperation.CorpusFile.humans: Self.humans.joined(separator: "\r\n"),
            ClassifyOperation.CorpusFile.inAppHumans: Self.inApp.joined(separator: "\n") + "\n\n",
            ClassifyOperation.CorpusFile.labeled: labeled.joined(separator: "\n") + "\n",
        ]
        for (name, text) in files where name != omit {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory.path
    }

    @Test func evaluate_onFixtureFolder_givesTheExactJSONLine() throws {
        let directory = try makeCorpus()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let evaluation = try ClassifyOperation().evaluate(directory: directory)
        #expect(evaluation.jsonLine == Self.expectedLine)
    }

    @Test func report_showsCountsRatesAndTargets() throws {
        let directory = try makeCorpus()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let operation = ClassifyOperation()
        let lines = operation.report(try operation.evaluate(directory: directory))
        #expect(lines.count == 8)
        #expect(lines[1].hasPrefix("bots"))
        #expect(lines[1].contains("100.00%") && lines[1].contains(">= 99%") && lines[1].hasSuffix("ok"))
        #expect(lines[2].contains("33.33%") && lines[2].contains("<= 0.3%") && lines[2].hasSuffix("MISSED"))
        #expect(lines.last == "some targets missed")
    }

    @Test(arguments: [
        ClassifyOperation.CorpusFile.bots, ClassifyOperation.CorpusFile.humans, ClassifyOperation.CorpusFile.inAppHumans,
        ClassifyOperation.CorpusFile.labeled,
    ])
    func evaluate_whenAFileIsMissing_throwsNamingIt(_ missing: String) throws {
        let directory = try makeCorpus(omit: missing)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let error = try #require(throws: AppError.self) { try ClassifyOperation().evaluate(directory: directory) }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("\(directory)/\(missing): no such file"))
    }

    @Test func evaluate_whenFolderIsMissing_throws() throws {
        let error = try #require(throws: AppError.self) { try ClassifyOperation().evaluate(directory: "/nonexistent/corpus") }
        #expect(error.message == "/nonexistent/corpus: no such directory")
    }

    @Test func evaluate_whenALabeledLineIsNotJSON_namesTheLine() throws {
        let directory = try makeCorpus()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/" + ClassifyOperation.CorpusFile.labeled
        try (String(contentsOfFile: path, encoding: .utf8) + "not json\n").write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: AppError.self) { try ClassifyOperation().evaluate(directory: directory) }
        #expect(error.message.hasPrefix("\(path):3:"))
    }

    @Test func describe_givesVerdictAndParse() {
        let lines = ClassifyOperation().describe(["curl/8.4.0", Self.iPhone], json: true)
        #expect(lines[0] == #"{"browser":null,"device_type":null,"is_bot":true,"os":null,"reason":"library:curl","user_agent":"curl/8.4.0"}"#)
        #expect(lines[1].contains(#""is_bot":false"#) && lines[1].contains(#""os":"iOS""#))
        #expect(ClassifyOperation().describe([Self.iPhone], json: false) == ["human\tsmartphone\tiOS\tMobile Safari\t\(Self.iPhone)"])
    }

    @Test func binary_classifyEvalJSON_printsTheLineLast_andFailsOnAMissingFolder() async throws {
        let binary = ChildProcess.shortlinksExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the shortlinks product first")
        let directory = try makeCorpus()
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let ok = try await ChildProcess.run(binary, ["classify", "--eval", directory, "--json"])
        #expect(ok.status == 0)
        #expect(ok.stdout.split(separator: "\n").last.map(String.init) == Self.expectedLine)

        let missing = try await ChildProcess.run(binary, ["classify", "--eval", directory + "/nope", "--json"])
        #expect(missing.status != 0)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("\(directory)/nope: no such directory"))
    }

    /// `shortlinks measure-enrichment`: every stage timed, and bad input refused clearly.
    @Test func binary_measureEnrichment_timesEveryStage_andRefusesBadInput() async throws {
        let binary = ChildProcess.shortlinksExecutable
        let directory = try makeCorpus()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stages = [
            "bot verdict (cached per user agent)", "user-agent parse (cached)", "GeoIP lookup", "visitor hash",
            "address anonymised", "enrich (all of the above, the writer's call)", "COPY encoding", "rollup groups: add",
            "rollup groups: take and encode",
        ]
        let ok = try await ChildProcess.run(
            binary, ["measure-enrichment", "--corpus", directory, "--geoip", TestGeoIP.cityDatabasePath, "--clicks", "2000"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("over 2000 clicks, GeoIP \(TestGeoIP.cityDatabasePath)"))
        let lines = ok.stdout.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count == stages.count, "\(ok.stdout)")
        for (line, stage) in zip(lines, stages) {
            #expect(line.hasPrefix(stage) && line.hasSuffix(" µs"), "\(line)")
            let figure = line.dropLast(3).split(separator: " ").last.flatMap { Double($0) }
            #expect(figure.map { $0.isFinite && $0 >= 0 } == true, "\(line)")
        }

        let noGeoIP = try await ChildProcess.run(binary, ["measure-enrichment", "--corpus", directory, "--geoip", directory + "/none.mmdb"])
        #expect(noGeoIP.status != 0)
        #expect(noGeoIP.stderr.contains("none.mmdb"))
        let noCorpus = try await ChildProcess.run(binary, ["measure-enrichment", "--corpus", directory + "/nope"])
        #expect(noCorpus.status != 0)
        #expect(noCorpus.stderr.contains("\(directory)/nope: no such directory"))
        let noClicks = try await ChildProcess.run(binary, ["measure-enrichment", "--corpus", directory, "--clicks", "0"])
        #expect(noClicks.status == 64)
        #expect(noClicks.stderr.contains("--clicks must be at least 1"))
    }

    /// The stages come in the writer's order, each a finite cost.
    @Test func enrichmentCost_namesTheWritersStagesInOrder() throws {
        let stages = try EnrichmentCost(geoIPDatabase: TestGeoIP.cityDatabasePath).measure(
            humans: Self.humans, bots: Self.bots, clicks: 500, links: 10)
        #expect(stages.map(\.name).suffix(3) == ["COPY encoding", "rollup groups: add", "rollup groups: take and encode"])
        #expect(stages.count == 9)
        #expect(stages.allSatisfy { $0.microsecondsPerClick.isFinite && $0.microsecondsPerClick >= 0 })
        #expect(throws: AppError.self) { try EnrichmentCost(geoIPDatabase: "/nonexistent.mmdb") }
    }
}
