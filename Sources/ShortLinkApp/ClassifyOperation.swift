public import BotDetection
import Foundation
import ShortLinkCore

/// `shortlinks classify`: bot verdicts and parsed user agents for given strings, and the
/// evaluation of the rules on a corpus directory.
public struct ClassifyOperation: Sendable {
    /// The classifier, built from the rules given at init.
    public let classifier: BotClassifier
    /// The user-agent parser.
    public let parser: UserAgentParser

    /// Creates the operation.
    /// - Parameter rules: the rules to use; default ``BotRules/builtIn``.
    public init(rules: BotRules = .builtIn) {
        classifier = BotClassifier(rules: rules)
        parser = UserAgentParser()
    }

    /// Evaluates the rules and the parser on a corpus directory.
    /// - Parameter directory: a folder with ``CorpusFile``s.
    /// - Throws: ``AppError`` when the corpus cannot be read.
    public func evaluate(directory: String) throws -> CorpusEvaluation {
        evaluate(try loadCorpus(directory: directory))
    }

    /// Evaluates the rules and the parser on a corpus.
    /// - Parameter corpus: the corpus.
    public func evaluate(_ corpus: Corpus) -> CorpusEvaluation {
        CorpusEvaluation(
            bots: corpus.bots, humans: corpus.humans, inAppHumans: corpus.inAppHumans, labeled: corpus.labeled,
            classifier: classifier, parser: parser)
    }

    /// Average time to classify and parse each user agent, without and with the caches.
    /// - Parameter userAgents: the user agents to time (say, the corpus's people).
    /// - Returns: microseconds per user agent, uncached and cached.
    public func measureSpeed(_ userAgents: [String]) -> (uncached: Double, cached: Double) {
        guard !userAgents.isEmpty else { return (0, 0) }
        var sink = 0
        let clock = ContinuousClock()
        let uncached = clock.measure {
            for userAgent in userAgents {
                if classifier.uncachedReason(userAgent) != nil { sink &+= 1 }
                if parser.uncachedParse(userAgent).os != nil { sink &+= 1 }
            }
        }
        for userAgent in userAgents {
            _ = classifier.userAgentReason(userAgent)
            _ = parser.parse(userAgent)
        }
        let cached = clock.measure {
            for userAgent in userAgents {
                if classifier.userAgentReason(userAgent) != nil { sink &+= 1 }
                if parser.parse(userAgent).os != nil { sink &+= 1 }
            }
        }
        withExtendedLifetime(sink) {}
        func perItem(_ duration: Duration) -> Double {
            let (seconds, attoseconds) = duration.components
            return (Double(seconds) * 1e6 + Double(attoseconds) / 1e12) / Double(userAgents.count)
        }
        return (perItem(uncached), perItem(cached))
    }

    /// Verdict and parse of each user agent, one line each: tab-separated, or JSON objects.
    /// - Parameters:
    ///   - userAgents: the user agents.
    ///   - json: one JSON object per line instead of text.
    public func describe(_ userAgents: [String], json: Bool) -> [String] {
        userAgents.map { userAgent in
            let verdict = classifier.classify(ClassificationInput(method: .get, userAgent: userAgent))
            let info = parser.parse(userAgent)
            guard json else {
                return [
                    verdict.reason.map { "bot (\($0))" } ?? "human", info.deviceType?.rawValue ?? "-", info.os ?? "-",
                    info.browser ?? "-", userAgent,
                ].joined(separator: "\t")
            }
            let object: [String: Any] = [
                "user_agent": userAgent, "is_bot": verdict.isBot, "reason": verdict.reason ?? NSNull(),
                "device_type": info.deviceType?.rawValue ?? NSNull(), "os": info.os ?? NSNull(), "browser": info.browser ?? NSNull(),
            ]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

}
