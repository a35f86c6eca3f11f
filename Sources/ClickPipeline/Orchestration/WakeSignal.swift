import Synchronization

/// Wakes one waiting task: a writer waiting for clicks, or the housekeeping timer waiting
/// for its next instant. A signal sent while nobody waits is kept for the next wait, so
/// none is lost; a spurious wake-up is harmless (the waiter asks the state machine again).
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next one to wait. Never blocks (called on event loops).
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Waits for a signal, for `deadline` on `clock` (when given), or for cancellation,
    /// whichever comes first.
    func wait(until deadline: ContinuousClock.Instant?, clock: any PipelineClock) async {
        guard let deadline else { return await waitForSignal() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await clock.sleep(until: deadline)
                    self.signal()
                } catch {}  // woken otherwise: the sleep was cancelled
            }
            await waitForSignal()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
