import Hummingbird
import HummingbirdTesting
import LibPQ
import Logging
import Prometheus
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// What reaches the log from a request is escaped: a value cannot start a forged line.
@Suite struct LogSafetyTests {
    /// A 500 whose error repeats the request's tag (as a database message quoting a row does)
    /// is logged as one record, on one line, with the tag escaped.
    @Test func internalError_echoingATag_isLoggedOnOneLine() async throws {
        let store = RecordingLogHandler.Store()
        let router = Router(context: AdminRequestContext.self)
        router.add(
            middleware: ProblemMiddleware(logger: RecordingLogHandler.logger(store), metrics: AdminMetrics(registry: PrometheusCollectorRegistry())))
        router.get("/boom") { (request, _) -> Response in
            let tag = request.uri.queryParameters["tag"].map(String.init) ?? ""
            throw PGError(code: .serverError, sqlState: "XX000", message: "could not store tag \(tag)")
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/boom?tag=x%0A%5BERROR%5D%20forged%0D%1B", method: .get)
            #expect(response.status == .internalServerError)
            #expect(!String(buffer: response.body).contains("forged"), "the problem detail never echoes the input")
        }
        let records = store.records
        #expect(records.count == 1)
        let line = try #require(records.first).rendered
        #expect(!line.contains("\n"))
        #expect(!line.contains("\r"))
        #expect(!line.contains("\u{1B}"))
        #expect(line.contains(#"\n[ERROR] forged"#), "the tag is still there, escaped, for whoever reads the log")
    }
}
