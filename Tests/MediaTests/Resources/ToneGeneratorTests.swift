import Media
import Testing

@Suite struct ToneGeneratorTests {
    /// European ringback: 425 Hz for one second, then four seconds of silence, repeating (E.180, CEPT).
    @Test func europeanRingbackFollowsItsCadence() {
        var generator = ToneGenerator(plan: ToneFamily.european.plan(for: .ringback))
        let fiveSeconds = (0..<250).flatMap { _ in generator.next() }
        #expect(fiveSeconds.count == 40000)
        let on = Array(fiveSeconds[0..<8000])
        let off = fiveSeconds[8000..<40000]
        #expect(off.allSatisfy { $0 == 0 })
        #expect(TestAudio.power(of: 425, in: on) > 1000 * TestAudio.power(of: 800, in: on))
        let next = generator.next()
        #expect(next.contains { $0 != 0 })
        // -13 dBm0: a peak of 22656 × 10^(-13/20) ≈ 5072.
        #expect((5000...5100).contains(on.map { abs(Int($0)) }.max() ?? 0))
    }

    @Test func northAmericanTonesArePairs() {
        var ringback = ToneGenerator(plan: ToneFamily.northAmerican.plan(for: .ringback))
        let samples = (0..<50).flatMap { _ in ringback.next() }  // one second, within the 2 s on
        #expect(TestAudio.power(of: 440, in: samples) > 100 * TestAudio.power(of: 620, in: samples))
        #expect(TestAudio.power(of: 480, in: samples) > 100 * TestAudio.power(of: 620, in: samples))
        var busy = ToneGenerator(plan: ToneFamily.northAmerican.plan(for: .busy))
        let second = (0..<50).flatMap { _ in busy.next() }
        #expect(second[0..<4000].contains { $0 != 0 })
        #expect(second[4000..<8000].allSatisfy { $0 == 0 })
    }

    @Test func plansMatchE180() {
        let eu = ToneFamily.european
        let us = ToneFamily.northAmerican
        #expect(eu.plan(for: .busy).cadence == [.on(500), .off(500)])
        #expect(eu.plan(for: .congestion) == TonePlan(frequencies: [425], cadence: [.on(250), .off(250)]))
        #expect(us.plan(for: .ringback).frequencies == [440, 480])
        #expect(us.plan(for: .ringback).cadence == [.on(2000), .off(4000)])
        #expect(us.plan(for: .congestion).cadence == [.on(250), .off(250)])
        #expect(ToneFamily(rawValue: "eu") == .european && ToneFamily(rawValue: "us") == .northAmerican)
    }

    /// The phase and cadence run on across frames: two 20 ms frames are the same samples as one 40 ms stretch
    /// (425 Hz is 8.5 cycles per frame, so a phase restarted per frame would differ).
    @Test func phaseIsContinuousAcrossFrames() {
        let plan = ToneFamily.european.plan(for: .congestion)
        var framed = ToneGenerator(plan: plan)
        var whole = ToneGenerator(plan: plan)
        let frames = (0..<30).flatMap { _ in framed.next() }
        let stretch = whole.next(4800)
        #expect(frames == stretch)
        #expect(framed.samplesPlayed == 4800)
    }
}
