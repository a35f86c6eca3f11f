import Foundation
import LibPQ
import ShortLinkTesting
import Testing

@testable import AdminAPI

/// `GET /api/v1/openapi.json` names the server it is reachable at: the configured public
/// admin URL, or the relative `/` when there is none; the rest is the committed document.
@Suite struct OpenAPIServersTests {
    static func servers(_ admin: LiveAdmin) async throws -> (JSONValue?, JSONValue?) {
        let token = try await admin.token()
        let reply = try await admin.request("GET", "/api/v1/openapi.json", token: token)
        #expect(reply.status == 200)
        let document = JSONValue.parse(Array(reply.body.utf8))
        return (document?["servers"], document)
    }

    @Test func servers_withPublicURL_isThatURL() async throws {
        let admin = try await LiveAdmin.start { $0.publicURL = "https://admin.sho.rt" }
        let (servers, document) = try await Self.servers(admin)
        await admin.stop()
        #expect(servers == .array([["url": "https://admin.sho.rt"]]))
        // Everything else as committed.
        let committed = try #require(JSONValue.parse(AdminAPI.loadOpenAPIDocument()))
        #expect(document?["paths"] == committed["paths"])
        #expect(document?["components"] == committed["components"])
        #expect(document?["info"] == committed["info"])
    }

    @Test func servers_withoutPublicURL_isRelative() async throws {
        let admin = try await LiveAdmin.start()
        let (servers, _) = try await Self.servers(admin)
        await admin.stop()
        #expect(servers?.arrayValue?.count == 1)
        #expect(servers?.arrayValue?.first?["url"] == "/")
    }

    @Test func served_replacesOnlyTheTopLevelServers() throws {
        let text = #"{"a":{"servers":[1]},"d":"\"servers\": [x]","servers":[{"url":"http://127.0.0.1:8081"}],"z":[{"servers":2}]}"#
        let served = String(decoding: OpenAPIDocument.served(Array(text.utf8), publicURL: "https://a.example"), as: UTF8.self)
        #expect(served == #"{"a":{"servers":[1]},"d":"\"servers\": [x]","servers":[{"url":"https://a.example"}],"z":[{"servers":2}]}"#)
    }
}
