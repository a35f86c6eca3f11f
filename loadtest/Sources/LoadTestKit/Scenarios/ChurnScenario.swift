import NIOCore

/// `churn`: redirects over links that the admin API creates and changes while the run
/// goes on. Every answer's `Location` is checked against the link's target at that time,
/// within the coherence window.
public struct ChurnSource: RequestSource {
    let ledger: ChurnLedger
    let encoder: RequestEncoder
    private let allocator = ByteBufferAllocator()

    /// - Parameters:
    ///   - ledger: the links and their target history.
    ///   - encoder: the target server.
    public init(ledger: ChurnLedger, encoder: RequestEncoder) {
        self.ledger = ledger
        self.encoder = encoder
    }

    public var needsLocation: Bool { true }

    public func next(_ random: inout SplitMix64) -> PreparedRequest {
        let slot = Int(random.next() % UInt64(ledger.count))
        let bytes = encoder.encode(code: ledger.code(slot), headers: [("User-Agent", UserAgents.chrome)], allocator: allocator)
        return PreparedRequest(bytes: bytes, label: .human, slot: Int32(slot))
    }

    public func check(_ request: PreparedRequest, response: ResponseParser.Response, sent: UInt64, received: UInt64) -> String? {
        ledger.check(slot: Int(request.slot), status: response.status, location: response.location, sent: sent, received: received)
    }
}

/// Changes and creates links through the admin API at a steady pace while the redirects run.
public struct ChurnMutator: Sendable {
    /// Counts of what it did.
    public struct Outcome: Sendable {
        public var created = 0
        public var updated = 0
        public var failures = 0
    }

    let ledger: ChurnLedger
    let admin: AdminClient
    let clientID: String
    let runID: String
    /// Changes per second (default 20).
    let rate: Double
    /// Share of changes that create a new link rather than change a target (default 0.2).
    let createShare: Double

    /// - Parameters: see the properties.
    public init(ledger: ChurnLedger, admin: AdminClient, clientID: String, runID: String, rate: Double = 20, createShare: Double = 0.2) {
        self.ledger = ledger
        self.admin = admin
        self.clientID = clientID
        self.runID = runID
        self.rate = rate
        self.createShare = createShare
    }

    private static var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// Runs until `end` (monotonic ns).
    public func run(until end: UInt64, seed: UInt64) async -> Outcome {
        var outcome = Outcome()
        var random = SplitMix64(seed: seed ^ 0x6368_7572_6E)
        let interval = UInt64(1e9 / rate)
        var next = Self.now
        var serial = 0
        while Self.now < end {
            if next > Self.now { try? await Task.sleep(for: .nanoseconds(next - Self.now)) }
            next += interval
            serial += 1
            if random.unit() < createShare {
                let code = LinkSet.code(runID: runID, index: 1_000_000 + serial)
                let target = "https://example.com/loadtest/\(runID)/new/\(serial)"
                let sentAt = Self.now
                do {
                    let id = try await admin.createLink(
                        .init(shortCode: code, originalUrl: target, tags: [LinkSet.tag(runID: runID)]), clientID: clientID)
                    ledger.created(code: code, id: id, target: target, sentAt: sentAt, now: Self.now)
                    outcome.created += 1
                } catch {
                    outcome.failures += 1
                }
            } else {
                let slot = Int(random.next() % UInt64(ledger.count))
                let target = "https://example.com/loadtest/\(runID)/\(slot)/v\(serial)"
                let version = ledger.changing(slot, to: target, now: Self.now)
                do {
                    try await admin.changeTarget(linkID: ledger.id(slot), to: target)
                    ledger.changed(slot, version: version, now: Self.now)
                    outcome.updated += 1
                } catch {
                    // Whether it was applied is unknown: both targets stay acceptable.
                    outcome.failures += 1
                }
            }
        }
        return outcome
    }
}
