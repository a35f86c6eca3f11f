import Synchronization

/// Answers and errors so far, across connections, for the once-a-second progress line.
/// One relaxed atomic add per answer; the tallies stay the source of the results.
final class ProgressCounter: Sendable {
    private let answers = Atomic<Int>(0)
    private let errors = Atomic<Int>(0)

    func answered() { answers.add(1, ordering: .relaxed) }
    func failed() { errors.add(1, ordering: .relaxed) }

    var snapshot: (answers: Int, errors: Int) {
        (answers.load(ordering: .relaxed), errors.load(ordering: .relaxed))
    }
}
