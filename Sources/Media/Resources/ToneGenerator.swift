import Foundation

/// Plays a `TonePlan` as 8 kHz linear samples, frame after frame, with the phase and the cadence position carried
/// from one frame to the next (a tone that restarted its phase every 20 ms would click 50 times a second).
public struct ToneGenerator: Sendable {
    public let plan: TonePlan
    /// Samples played since the start; the cadence position and each oscillator's phase derive from it.
    public private(set) var samplesPlayed = 0
    private let amplitude: Double
    private let cadenceSamples: [(length: Int, sounding: Bool)]
    private let period: Int

    public init(plan: TonePlan) {
        self.plan = plan
        // 0 dBm0 is a sine whose peak is 3.14 dB below G.711's largest value (8159 in 14-bit, 32 636 in 16-bit).
        amplitude = 22_656 * pow(10, plan.levelDBm0 / 20)
        cadenceSamples = plan.cadence.map {
            (length: $0.milliseconds * WAVAudio.sampleRate / 1000, sounding: $0.sounding)
        }
        period = cadenceSamples.reduce(0) { $0 + $1.length }
    }

    /// The next `count` samples (160 for a 20 ms frame).
    public mutating func next(_ count: Int = RTPPacketizer.samplesPerFrame) -> [Int16] {
        var frame = [Int16]()
        frame.reserveCapacity(count)
        for _ in 0..<count {
            frame.append(isSounding(at: samplesPlayed) ? sample(at: samplesPlayed) : 0)
            samplesPlayed += 1
        }
        return frame
    }

    private func isSounding(at index: Int) -> Bool {
        guard period > 0 else { return true }
        var position = index % period
        for step in cadenceSamples {
            if position < step.length { return step.sounding }
            position -= step.length
        }
        return false
    }

    private func sample(at index: Int) -> Int16 {
        let time = Double(index) / Double(WAVAudio.sampleRate)
        var value = 0.0
        for frequency in plan.frequencies {
            value += amplitude * sin(2 * Double.pi * frequency * time)
        }
        return Int16(max(-32768, min(32767, value.rounded())))
    }
}
