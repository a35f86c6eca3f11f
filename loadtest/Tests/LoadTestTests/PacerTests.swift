import Testing

@testable import LoadTestKit

/// The open-loop schedule's latency accounting, on a fake clock (ms → ns).
@Suite struct PacerTests {
    static func ms(_ value: UInt64) -> UInt64 { value * 1_000_000 }

    @Test func openLoop_whenAnswersAreSlow_latencyCountsFromIntendedSendTime() {
        // One request every 10 ms from t = 0; the server takes 25 ms for each.
        var session = PacedSession(
            pacer: Pacer(mode: .openLoop(first: 0, interval: Self.ms(10))), warmupEnd: 0, end: Self.ms(45), requests: nil)
        var now: UInt64 = 0
        var latencies: [UInt64] = []
        var serviceTimes: [UInt64] = []
        var sendTimes: [UInt64] = []
        while true {
            let action = session.next(now: now)
            if action == .finish { break }
            if case .wait(let until) = action {
                now = until
                continue
            }
            session.sent(now: now)
            sendTimes.append(now)
            now += Self.ms(25)
            let completion = session.completed(now: now)
            latencies.append(completion.latency)
            serviceTimes.append(completion.serviceTime)
        }
        // Intended 0, 10, 20, 30, 40; sent 0, 25, 50, 75, 100 (each as soon as the previous answer is in).
        #expect(sendTimes == [0, 25, 50, 75, 100].map(Self.ms))
        // Answered 25, 50, 75, 100, 125: latency from intended = 25, 40, 55, 70, 85 ms.
        #expect(latencies == [25, 40, 55, 70, 85].map(Self.ms))
        // What the server took is 25 ms each time: the figure coordinated omission would report.
        #expect(serviceTimes == [25, 25, 25, 25, 25].map(Self.ms))
    }

    @Test func openLoop_whenAnswersAreFast_waitsForEachIntendedTime() {
        var session = PacedSession(
            pacer: Pacer(mode: .openLoop(first: Self.ms(5), interval: Self.ms(10))), warmupEnd: 0, end: Self.ms(30), requests: nil)
        #expect(session.next(now: 0) == .wait(until: Self.ms(5)))
        #expect(session.next(now: Self.ms(5)) == .send)
        session.sent(now: Self.ms(6))  // one ms late
        let first = session.completed(now: Self.ms(8))
        #expect(first.latency == Self.ms(3))
        #expect(first.serviceTime == Self.ms(2))
        #expect(session.next(now: Self.ms(8)) == .wait(until: Self.ms(15)))
        #expect(session.next(now: Self.ms(15)) == .send)
        session.sent(now: Self.ms(15))
        _ = session.completed(now: Self.ms(16))
        #expect(session.next(now: Self.ms(16)) == .wait(until: Self.ms(25)))
        #expect(session.next(now: Self.ms(25)) == .send)
        session.sent(now: Self.ms(25))
        _ = session.completed(now: Self.ms(26))
        // The next slot (35 ms) is past the end.
        #expect(session.next(now: Self.ms(26)) == .finish)
        #expect(session.unsent == 0)
    }

    @Test func openLoop_whenTheServerFallsBehind_countsUnsentSlots() {
        var session = PacedSession(
            pacer: Pacer(mode: .openLoop(first: 0, interval: Self.ms(10))), warmupEnd: 0, end: Self.ms(100), requests: nil)
        #expect(session.next(now: 0) == .send)
        session.sent(now: 0)
        // One answer takes 95 ms: slots 10 … 90 were due; at the end none of them went out.
        _ = session.completed(now: Self.ms(95))
        #expect(session.unsent == 9)
    }

    @Test func warmup_requestsIntendedBeforeItsEnd_areNotMeasured() {
        var session = PacedSession(
            pacer: Pacer(mode: .openLoop(first: 0, interval: Self.ms(10))), warmupEnd: Self.ms(20), end: Self.ms(40), requests: nil)
        var measured: [Bool] = []
        var now: UInt64 = 0
        while true {
            let action = session.next(now: now)
            if action == .finish { break }
            if case .wait(let until) = action {
                now = until
                continue
            }
            session.sent(now: now)
            now += Self.ms(1)
            measured.append(session.completed(now: now).measured)
        }
        #expect(measured == [false, false, true, true])
    }

    @Test func closedLoop_sendsAtOnceAndStopsAfterItsRequests() {
        var session = PacedSession(pacer: Pacer(mode: .closedLoop), warmupEnd: 0, end: nil, requests: 3)
        var now: UInt64 = 7
        var count = 0
        while session.next(now: now) == .send {
            session.sent(now: now)
            now += 4
            let completion = session.completed(now: now)
            #expect(completion.latency == 4)
            count += 1
        }
        #expect(count == 3)
    }
}
