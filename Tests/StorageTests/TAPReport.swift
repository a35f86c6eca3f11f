/// What a TAP stream (pgTAP's output, one line per row) says: the plan, the tests that
/// did not pass with their diagnostics, and anything malformed.
struct TAPReport: Equatable {
    /// One test that did not pass.
    struct Failure: Equatable, CustomStringConvertible {
        var number: Int
        var name: String
        /// The `#` lines that followed it (pgTAP's have/want).
        var diagnostics: [String] = []

        var description: String {
            (["not ok \(number) - \(name)"] + diagnostics.map { "    " + $0 }).joined(separator: "\n")
        }
    }

    /// The `1..N` count, if the stream had one.
    var planned: Int?
    /// How many `ok` lines there were.
    var passed = 0
    var failures: [Failure] = []
    /// Lines that are neither a plan, a result nor a diagnostic, and results out of order.
    var malformed: [String] = []

    /// Results seen, passed or not.
    var ran: Int { passed + failures.count }

    /// True when a plan was given, every planned test ran, in order, and all passed.
    var isSuccess: Bool { planned != nil && planned == ran && failures.isEmpty && malformed.isEmpty }

    init(parsing output: String) {
        var expectedNumber = 1
        var lastWasFailure = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("#") {
                if lastWasFailure { failures[failures.count - 1].diagnostics.append(line) }
                continue
            }
            lastWasFailure = false
            if line.hasPrefix("1.."), let count = Int(line.dropFirst(3)), planned == nil {
                planned = count
            } else if let (ok, number, name) = Self.result(line) {
                if number != expectedNumber { malformed.append("expected test \(expectedNumber), got: \(line)") }
                expectedNumber = number + 1
                if ok {
                    passed += 1
                } else {
                    failures.append(Failure(number: number, name: name))
                    lastWasFailure = true
                }
            } else {
                malformed.append(line)
            }
        }
    }

    /// `ok 3 - name` or `not ok 3 - name`.
    private static func result(_ line: String) -> (ok: Bool, number: Int, name: String)? {
        let ok: Bool
        var rest: Substring
        if line.hasPrefix("ok ") {
            ok = true
            rest = line.dropFirst(3)
        } else if line.hasPrefix("not ok ") {
            ok = false
            rest = line.dropFirst(7)
        } else {
            return nil
        }
        let digits = rest.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        rest = rest.dropFirst(digits.count)
        if rest.hasPrefix(" - ") { rest = rest.dropFirst(3) }
        return (ok, number, String(rest))
    }
}
