import Foundation
import TestSupport
import Testing

/// `gatehouse bench replay --only KIND`: each kind's run holds exactly the whole capture's messages of that kind,
/// so their verdicts add up to the whole capture's (the sources of the four kinds never overlap).
struct BenchReplayCommandTests {
    @Test func theKindsAddUpToTheWholeCapture() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let whole = try await verdicts(binary, ["bench", "replay", "--messages", "4000"])
        #expect(whole["messages"] == 4000)
        var sum: [String: Int] = [:]
        for kind in ["invite", "register", "options", "response"] {
            let part = try await verdicts(binary, ["bench", "replay", "--messages", "1000", "--only", kind])
            #expect(part["messages"] == 1000, "\(kind)")
            sum.merge(part) { $0 + $1 }
        }
        #expect(sum == whole)
        // The INVITEs are all built into the callee's INVITE; this short a capture keeps every source within its
        // budget, so the rest is accepted.
        #expect(whole["rewritten"] == 1000)
        #expect(whole["accepted"] == 3000)
    }

    @Test func anUnknownKindIsRefused() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let outcome = try await ExternalProcess.run(binary, ["bench", "replay", "--only", "bye"])
        #expect(outcome.status != 0)
        #expect(outcome.output.contains("'invite', 'register', 'options' or 'response'"), "\(outcome.output)")
    }

    /// The counts of the summary line (`replayed N messages in S s: accepted A, rewritten R, …`).
    private func verdicts(_ binary: String, _ arguments: [String]) async throws -> [String: Int] {
        let outcome = try await ExternalProcess.run(binary, arguments, timeout: .seconds(120))
        #expect(outcome.status == 0, "\(outcome.output)")
        let line = try #require(outcome.output.split(separator: "\n").first { $0.hasPrefix("replayed ") })
        var counts: [String: Int] = [:]
        let words = line.split(separator: " ")
        if let messages = words.dropFirst().first.flatMap({ Int($0) }) { counts["messages"] = messages }
        let afterColon = try #require(line.split(separator: ":", maxSplits: 1).last)
        for part in afterColon.split(separator: ",") {
            let pair = part.split(separator: " ")
            guard pair.count == 2, let count = Int(pair[1]) else { continue }
            counts[String(pair[0])] = count
        }
        return counts
    }
}
