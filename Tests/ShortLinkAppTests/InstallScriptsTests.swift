import Foundation
import Testing

/// The scripts a new user and CI run: they must never move an installed Postgres under a
/// running cluster, and the Quick start must build every executable the README documents.
@Suite struct InstallScriptsTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every shell script CI or a user runs: `.ci/run` and each file in `scripts/` that starts with `#!`.
    private static func scripts() throws -> [(path: String, text: String)] {
        var paths = [".ci/run"]
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("scripts").path)
        paths += names.sorted().map { "scripts/\($0)" }
        return try paths.compactMap { path in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            else { return nil }
            let body = try text(path)
            return body.hasPrefix("#!") ? (path, body) : nil
        }
    }

    @Test func aptInstall_neverUpgradesAnInstalledPackage() throws {
        var offenders: [String] = []
        for script in try Self.scripts() {
            for (number, line) in script.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                guard code.contains("apt-get install") else { continue }
                if !code.contains("--no-upgrade") { offenders.append("\(script.path):\(number + 1)") }
            }
        }
        #expect(offenders.isEmpty, "apt-get install without --no-upgrade: \(offenders)")
    }

    @Test func quickStartRun_buildsEveryExecutableProduct() throws {
        let manifest = try Self.text("Package.swift")
        let products = manifest.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: ".executable(name: \"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(products.sorted() == ["loadtest", "shortlinks"])
        let run = try Self.text("scripts/run")
        for product in products {
            #expect(run.contains("swift build -c release --product \(product)"), "scripts/run does not build \(product)")
        }
    }
}
