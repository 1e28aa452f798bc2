/// The highest paced rate a relay carries without loss: the offered rate (`RelayLoadGenerator`) rises by `factor` a
/// step until fewer than 99 % of the packets sent arrive, then the gap between the last rate that passed and the
/// first that did not is halved (geometrically) `refinements` times. Every step runs on the same rig, so the
/// streams are set up once.
///
/// A step that loses packets is measured once more before it counts as the limit: another build on the machine can
/// cost a step its packets. Every step after one that lost packets runs on a new rig (`makeRig`): rtpengine stops
/// forwarding a stream for good once it falls 50 packets behind on it, so a rig that lost packets once may not
/// measure the relay any more, only that stream's end. The search is bounded: at most `maximumSteps` steps of `seconds` (plus 0.8 s of warm-up
/// and drain) each. It stops early when the load generator itself cannot offer the rate (more than 3 % of the due
/// packets skipped): that is the machine's limit, not the relay's, and the result says so.
struct RelayRateSearch {
    var start = 10_000
    var factor = 1.25
    var refinements = 2
    var maximumSteps = 24
    /// The largest share of the sent packets that may be lost at a rate that passes: 1 %.
    var lossLimit = 0.01
    var seconds = 2.0

    struct Outcome {
        /// The highest rate that passed, as measured at that rate; nil when none did.
        var lossless: RelayBenchmark.Result?
        /// Every step, in order.
        var steps: [RelayBenchmark.Result] = []
        /// The load generator could not offer a higher rate on this machine.
        var generatorLimited = false
    }

    /// Runs the search on rigs `makeRig` sets up, handing each step to `report` as it is measured.
    func run(
        makeRig: () async throws -> RelayBenchRig, report: (RelayBenchmark.Result) -> Void
    ) async throws -> Outcome {
        var rig = try await makeRig()
        do {
            let outcome = try await climb(rig: &rig, makeRig: makeRig, report: report)
            try await rig.stop()
            return outcome
        } catch {
            try? await rig.stop()
            throw error
        }
    }

    private func climb(
        rig: inout RelayBenchRig, makeRig: () async throws -> RelayBenchRig, report: (RelayBenchmark.Result) -> Void
    ) async throws -> Outcome {
        var outcome = Outcome()
        var measured = 0
        var rigLostPackets = false
        /// Measures `rate`; true when it passed, nil when the generator fell short.
        func step(_ rate: Int) async throws -> Bool? {
            measured += 1
            if rigLostPackets {
                try await rig.stop()
                rig = try await makeRig()
                rigLostPackets = false
            }
            let result = try await rig.paced(rate: rate, seconds: seconds)
            outcome.steps.append(result)
            report(result)
            if Double(result.skipped) > 0.03 * Double(result.sent + result.skipped) { return nil }
            guard result.loss < lossLimit else {
                rigLostPackets = true
                return false
            }
            if result.offeredRate ?? 0 > outcome.lossless?.offeredRate ?? 0 { outcome.lossless = result }
            return true
        }
        var passed: Int?
        var failed: Int?
        var rate = start
        // Upward until a rate fails twice (or, from the first step, downward until one passes).
        while measured < maximumSteps {
            // A load that fell short once may have met another process's burst: measured again before it counts.
            var measuredRate = try await step(rate)
            if measuredRate == nil, measured < maximumSteps { measuredRate = try await step(rate) }
            guard let first = measuredRate else {
                outcome.generatorLimited = true
                break
            }
            if first {
                passed = rate
                if failed != nil { break }
                rate = Int(Double(rate) * factor)
                continue
            }
            if measured < maximumSteps, try await step(rate) == true {
                passed = rate
                rate = Int(Double(rate) * factor)
                continue
            }
            failed = rate
            if passed != nil || rate <= 1_000 { break }
            rate = max(1_000, Int(Double(rate) / (factor * factor)))
        }
        guard !outcome.generatorLimited, var low = passed, var high = failed, low < high else { return outcome }
        for _ in 0..<refinements where measured < maximumSteps {
            let middle = Int((Double(low) * Double(high)).squareRoot())
            guard middle > low, middle < high, let passes = try await step(middle) else { break }
            if passes { low = middle } else { high = middle }
        }
        return outcome
    }
}
