import CoreMetrics
import Logging
import ShortLinkCore
import Synchronization

/// What one writer keeps between groups: its jitter source and the visitor hashers of the
/// days it has seen.
struct WriterContext {
    let index: Int
    var random = SystemRandomNumberGenerator()
    var hashers: [Int64: VisitorHasher] = [:]

    init(index: Int) {
        self.index = index
    }
}

extension ClickPipeline {
    /// How the writing of a group ended.
    enum WriteOutcome {
        case stored(ClickPipelineStateMachine.GroupResult)
        case gaveUp
    }

    /// Writes one group taken from the queue: decodes it, stores it with retries, then
    /// acknowledges the journal positions the state machine releases.
    func write(_ group: ClickPipelineStateMachine.Group, context: inout WriterContext) async {
        let events = decode(group.batches)
        switch await writeEvents(events, context: &context) {
        case .stored(let result):
            record(result)
            let stored = machine.withLock { $0.groupStored(group, by: context.index, result: result) }
            if let journal {
                for position in stored.acknowledge { journal.acknowledge(position) }
            }
            metrics.queueClicks.record(stored.queuedClicks)
        case .gaveUp:
            let queued = machine.withLock { $0.groupAbandoned(group, by: context.index) }
            metrics.queueClicks.record(queued)
        }
    }

    /// Stores events until they are stored: salts, enrichment, then the write, with the
    /// state machine's decisions carried out after each failure (backoff, one-by-one
    /// isolation of refused rows, giving up at the drain deadline or on cancellation).
    func writeEvents(_ events: [ClickEvent], context: inout WriterContext) async -> WriteOutcome {
        guard !events.isEmpty else { return .stored(.init()) }
        var result = ClickPipelineStateMachine.GroupResult()
        var rows: [StoredClick]?
        while true {
            let started = clock.now
            do {
                if rows == nil {
                    try await loadSalts(for: events, into: &context.hashers)
                    rows = events.map { enricher.enrich($0, hasher: context.hashers[VisitorHasher.day(of: $0.timestamp)]!) }
                }
                result.write = try await store.write(rows!)
                result.transactions = 1
                let elapsed = (clock.now - started).components
                metrics.batchDuration.recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
                let failures = machine.withLock { $0.attemptSucceeded(writer: context.index) }
                if failures > 0 {
                    logger.info("click writes succeed again", metadata: ["failedAttempts": "\(failures)"])
                }
                return .stored(result)
            } catch {
                let kind = (error as? ClickStoreError)?.kind ?? .other
                result.retries += 1
                metrics.retries.increment()
                let now = clock.now
                let decision = machine.withLock {
                    $0.attemptFailed(writer: context.index, kind: kind, enriched: rows != nil, at: now, using: &context.random)
                }
                if decision.failedAttempts == 1 || decision.failedAttempts % 20 == 0 {
                    logger.warning(
                        "click write failed; retrying",
                        metadata: [
                            "error": "\(LogSafe.escape(error))", "clicks": "\(events.count)",
                            "failedAttempts": "\(decision.failedAttempts)",
                        ])
                }
                switch decision.action {
                case .retry(let instant):
                    guard await pause(until: instant) else { return .gaveUp }
                case .writeOneByOne:
                    return await writeOneByOne(rows!, result: result, context: &context)
                case .giveUp:
                    return .gaveUp
                }
            }
        }
    }

    /// Writes rows singly (idempotently) so that one refused row does not hold back the rest.
    private func writeOneByOne(
        _ rows: [StoredClick], result: ClickPipelineStateMachine.GroupResult, context: inout WriterContext
    ) async -> WriteOutcome {
        var result = result
        for row in rows {
            while true {
                do {
                    let single = try await store.write([row])
                    result.write.inserted += single.inserted
                    result.write.duplicates += single.duplicates
                    result.write.orphaned += single.orphaned
                    result.transactions += 1
                    _ = machine.withLock { $0.attemptSucceeded(writer: context.index) }
                    break
                } catch {
                    let kind = (error as? ClickStoreError)?.kind ?? .other
                    let now = clock.now
                    let action = machine.withLock { $0.rowFailed(writer: context.index, kind: kind, at: now, using: &context.random) }
                    if case .reject = action {
                        result.rejected += 1
                        logger.error("click refused by the database", metadata: ["clickID": "\(row.id)", "error": "\(LogSafe.escape(error))"])
                        break
                    }
                    result.retries += 1
                    metrics.retries.increment()
                    guard case .retry(let instant) = action, await pause(until: instant) else { return .gaveUp }
                }
            }
        }
        return .stored(result)
    }

    /// Waits for a retry; `false` means: give up (the task was cancelled meanwhile).
    private func pause(until instant: ContinuousClock.Instant) async -> Bool {
        try? await clock.sleep(until: instant)
        return !Task.isCancelled && !machine.withLock({ $0.isCancelled })
    }

    private func loadSalts(for events: [ClickEvent], into hashers: inout [Int64: VisitorHasher]) async throws {
        var days = Set<Int64>()
        for event in events { days.insert(VisitorHasher.day(of: event.timestamp)) }
        // Keep the cache small; days a replay still needs are fetched again.
        if hashers.count > 8 { hashers = hashers.filter { days.contains($0.key) } }
        for day in days where hashers[day] == nil {
            hashers[day] = VisitorHasher(salt: try await store.visitorSalt(day: day))
        }
    }

    /// The events of a group, from each batch's bytes or, for a spilled batch, from its
    /// journal segment.
    private func decode(_ group: [PendingBatch]) -> [ClickEvent] {
        var events: [ClickEvent] = []
        events.reserveCapacity(group.reduce(0) { $0 + $1.count })
        for batch in group where batch.count > 0 {
            let bytes =
                batch.bytes
                ?? batch.journal.flatMap { position in
                    journal?.records(segment: position.segment, range: batch.journalStart..<position.end)
                }
            guard let bytes else {
                logger.error("click batch has neither bytes nor a journal copy", metadata: ["clicks": "\(batch.count)"])
                continue
            }
            do {
                events += try ClickRecord.decode(bytes).events
            } catch {
                logger.error("undecodable click batch", metadata: ["error": "\(error)"])
            }
        }
        return events
    }

    /// The metrics of a stored group or replay chunk (the state machine keeps the statistics).
    func record(_ result: ClickPipelineStateMachine.GroupResult) {
        metrics.written.increment(by: result.write.inserted)
        metrics.batches.increment(by: result.transactions)
        if result.rejected > 0 { metrics.rejected.increment(by: result.rejected) }
        if result.write.orphaned > 0 { metrics.orphaned.increment(by: result.write.orphaned) }
        if result.write.duplicates > 0 { metrics.duplicates.increment(by: result.write.duplicates) }
    }
}
