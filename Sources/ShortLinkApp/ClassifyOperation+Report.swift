public import BotDetection
import Foundation

extension ClassifyOperation {
    /// The evaluation as a table with the targets, one string per line.
    /// - Parameter evaluation: the counts.
    public func report(_ evaluation: CorpusEvaluation) -> [String] {
        typealias Target = CorpusEvaluation.Target
        let e = evaluation
        let rows: [[String]] = [
            ["set", "total", "count", "", "rate", "target", ""],
            row("bots", e.botsTotal, e.botsDetected, "detected", e.botDetectionRate, ">= 99%", e.botDetectionRate >= Target.botsDetected),
            row("humans", e.humansTotal, e.humansFlagged, "flagged", e.humanFlagRate, "<= 0.3%", e.humanFlagRate <= Target.humansFlagged),
            row("in-app humans", e.inAppTotal, e.inAppFlagged, "flagged", e.inAppFlagRate, "<= 1%", e.inAppFlagRate <= Target.inAppFlagged),
            row("labeled: device", e.labeledTotal, e.deviceCorrect, "right", e.deviceAccuracy, ">= 90%", e.deviceAccuracy >= Target.labeledCorrect),
            row("labeled: os", e.labeledTotal, e.osCorrect, "right", e.osAccuracy, ">= 90%", e.osAccuracy >= Target.labeledCorrect),
            row(
                "labeled: browser", e.labeledTotal, e.browserCorrect, "right", e.browserAccuracy, ">= 90%", e.browserAccuracy >= Target.labeledCorrect
            ),
        ]
        let lines = rows.map { cells in
            var line =
                cells[0].padding(toLength: 16, withPad: " ", startingAt: 0) + pad(cells[1], 7) + pad(cells[2], 8) + " "
                + cells[3].padding(toLength: 8, withPad: " ", startingAt: 0) + pad(cells[4], 8) + "   "
                + cells[5].padding(toLength: 9, withPad: " ", startingAt: 0) + cells[6]
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
        return lines + [e.meetsTargets ? "all targets met" : "some targets missed"]
    }

    private func row(_ name: String, _ total: Int, _ count: Int, _ word: String, _ rate: Double, _ target: String, _ met: Bool) -> [String] {
        [name, String(total), String(count), word, percent(rate), target, met ? "ok" : "MISSED"]
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func percent(_ rate: Double) -> String {
        String(format: "%.2f%%", rate * 100)
    }
}
