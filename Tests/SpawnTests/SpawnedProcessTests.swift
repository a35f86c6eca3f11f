import Glibc
import Testing

@testable import Spawn

/// Real children through posix_spawn: output, status, signals, environment, directory,
/// descriptors, and a parent with thousands of descriptors open (where Foundation's
/// `Process.run()` over-reads its `/proc/self/fd` scan).
@Suite struct SpawnedProcessTests {
    static let environment = ["PATH": "/usr/bin:/bin", "SPAWN_TEST": "värde ünïcode"]

    @Test func run_capturesBothStreams_andTheExitCode() throws {
        let result = try SpawnedProcess.run(
            "/bin/sh", ["-c", "printf out; printf err >&2; exit 3"], environment: Self.environment)
        #expect(result.termination == .exited(3))
        #expect(result.status == 3)
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "out")
        #expect(String(decoding: result.standardError, as: UTF8.self) == "err")
    }

    @Test func run_passesExactlyTheEnvironment_andTheDirectory() throws {
        let result = try SpawnedProcess.run("/bin/sh", ["-c", "pwd; env | sort"], environment: Self.environment, directory: "/tmp")
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.first == "/tmp")
        #expect(lines.contains("SPAWN_TEST=värde ünïcode"))
        #expect(!lines.contains { $0.hasPrefix("HOME=") }, "the parent's own variables stay out: \(lines)")
    }

    @Test func run_drainsLargeOutputOnBothStreams_withoutStalling() throws {
        // 1 MiB on each stream: more than a pipe holds, so reading one stream at a time would hang.
        let result = try SpawnedProcess.run(
            "/bin/sh", ["-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2"], environment: Self.environment)
        #expect(result.status == 0)
        #expect(result.standardOutput.count == 1 << 20)
        #expect(result.standardError.count == 1 << 20)
    }

    @Test func aMissingProgram_isASpawnErrorNamingIt() {
        #expect {
            _ = try SpawnedProcess.run("/nonexistent/tool", [], environment: Self.environment)
        } throws: { error in
            guard let error = error as? SpawnError else { return false }
            return error.code == ENOENT && error.description.contains("/nonexistent/tool")
        }
    }

    @Test func aSignal_isReportedAsSignaled_and128PlusItsNumber() throws {
        let process = try SpawnedProcess(executable: "/bin/sleep", arguments: ["30"], environment: Self.environment)
        #expect(process.isRunning)
        process.send(SIGTERM)
        let ended = process.wait()
        #expect(ended == .signaled(SIGTERM))
        #expect(ended.status == 128 + SIGTERM)
        #expect(!process.isRunning)
        #expect(process.wait(until: .now) == .signaled(SIGTERM), "the status stays known after the reap")
    }

    @Test func waitUntil_givesUpAtTheDeadline_whileTheChildRuns() throws {
        let process = try SpawnedProcess(executable: "/bin/sleep", arguments: ["30"], environment: Self.environment)
        #expect(process.wait(until: .now + .milliseconds(50)) == nil)
        process.send(SIGKILL)
        #expect(process.wait() == .signaled(SIGKILL))
    }

    @Test func theChild_inheritsNoDescriptorAboveTwo_andIgnoresNoSignal() throws {
        // A descriptor without close-on-exec, as a library might leave one.
        let leaked = open("/dev/null", O_RDONLY)
        #expect(leaked > 2)
        defer { close(leaked) }
        signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, SIG_DFL) }
        let result = try SpawnedProcess.run(
            "/bin/sh", ["-c", "ls /proc/self/fd; grep SigIgn /proc/self/status"], environment: Self.environment)
        let lines = String(decoding: result.standardOutput, as: UTF8.self).split(separator: "\n")
        let descriptors = lines.compactMap { Int($0) }
        // 0–2, and the one `ls` opens to read the directory.
        #expect(descriptors.filter { $0 > 2 }.count <= 1, "inherited: \(descriptors)")
        #expect(!descriptors.contains(Int(leaked)))
        let ignored = lines.first { $0.hasPrefix("SigIgn:") }.map { $0.split(separator: "\t").last.map(String.init) ?? "" }
        // Signals 1–31 (bit n-1 for signal n); 32 and 33 are glibc's own, outside sigfillset.
        let standard = ignored.flatMap { UInt64($0, radix: 16) }.map { $0 & 0x7FFF_FFFF }
        #expect(standard == 0, "ignored signals: \(lines)")
    }

    @Test func manyChildren_fromAParentWithThousandsOfDescriptors_allRun() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let count = min(3_000, Int(limit.rlim_cur) - 64)
        var opened: [Int32] = []
        for _ in 0..<count { opened.append(open("/dev/null", O_RDONLY | O_CLOEXEC)) }
        defer { for descriptor in opened { close(descriptor) } }
        for index in 0..<200 {
            let result = try SpawnedProcess.run("/bin/echo", ["\(index)"], environment: Self.environment)
            #expect(result.status == 0)
            #expect(String(decoding: result.standardOutput, as: UTF8.self) == "\(index)\n")
        }
    }
}
