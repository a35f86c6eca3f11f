import Synchronization
public import Testing

/// Awaited teardown for tests: `@Suite(.teardown)` (or `@Test(.teardown)`) gives each test
/// a teardown list, and `onTeardown { await db.drop() }` adds a step to it. The steps run
/// after the test body has returned or thrown, last registered first (as `defer` would), and
/// each is awaited before the next, so the test ends only once its databases are dropped and
/// its servers and pools stopped.
///
/// Why this form: an `async` `defer` does not compile (Swift 6.3), and
/// `defer { Task { … } }` let the cleanup race the next test and the process's exit, and lost
/// its errors. A `withTestDatabase { db in … }` closure would have re-indented every test
/// body; this trait and a task-local list change only the suite line and the line that was
/// the `defer`. A step that throws records an issue on the test. `onTeardown` outside the
/// trait's scope records an issue too, so a forgotten trait fails the test instead of
/// leaking its database.
public struct TeardownTrait: TestTrait, SuiteTrait, TestScoping {
    /// On a suite, every test in it (nested suites too) gets its own teardown list.
    public var isRecursive: Bool { true }

    /// Runs the test with a fresh teardown list, then awaits the list's steps, whether the
    /// test returned or threw.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let steps = TeardownSteps()
        let outcome: Result<Void, any Error>
        do {
            try await TeardownSteps.$current.withValue(steps) { try await function() }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await steps.runAll()
        try outcome.get()
    }
}

extension Trait where Self == TeardownTrait {
    /// Awaited teardown for each test: see ``TeardownTrait`` and ``onTeardown(sourceLocation:_:)``.
    public static var teardown: Self { TeardownTrait() }
}

/// Adds `step` to the current test's teardown (see ``TeardownTrait``): it runs, awaited, once
/// the test body has returned or thrown, before steps added earlier.
/// - Parameters:
///   - sourceLocation: where a failure of the step (or a missing `.teardown` trait) is reported.
///   - step: the cleanup, e.g. `{ await db.drop() }`.
public func onTeardown(
    sourceLocation: SourceLocation = #_sourceLocation, _ step: @escaping @Sendable () async throws -> Void
) {
    guard let steps = TeardownSteps.current else {
        Issue.record("onTeardown needs the .teardown trait on the test or its suite", sourceLocation: sourceLocation)
        return
    }
    steps.add(step, at: sourceLocation)
}

/// One test's teardown steps, in registration order.
final class TeardownSteps: Sendable {
    @TaskLocal static var current: TeardownSteps?

    private let steps = Mutex<[(step: @Sendable () async throws -> Void, location: SourceLocation)]>([])

    func add(_ step: @escaping @Sendable () async throws -> Void, at location: SourceLocation) {
        steps.withLock { $0.append((step, location)) }
    }

    /// Runs every step, last added first; a step's error is recorded and the rest still run.
    func runAll() async {
        while let next = steps.withLock({ $0.popLast() }) {
            do {
                try await next.step()
            } catch {
                Issue.record(error, "teardown step failed", sourceLocation: next.location)
            }
        }
    }
}
