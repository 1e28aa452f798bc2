import Media
import Testing

/// Done-when for conferences: each of three parties hears the other two and not itself.
@Suite struct ConferenceMixerTests {
    /// Three parties send 400, 700 and 1100 Hz (two in µ-law, one in A-law); over 100 ms, each output carries the
    /// other two tones strongly and its own at most at quantization-noise level.
    @Test func eachPartyHearsTheOthersButNotItself() {
        let tones: [String: Double] = ["alice": 400, "bob": 700, "carol": 1100]
        let laws: [String: G711Law] = ["alice": .muLaw, "bob": .aLaw, "carol": .muLaw]
        var mixer = ConferenceMixer<String>()
        for name in ["alice", "bob", "carol"] {
            let joined = mixer.join(name, law: laws[name]!)
            #expect(joined)
        }

        var heard: [String: [Int16]] = [:]
        for frame in 0..<5 {
            for (name, frequency) in tones {
                let samples = TestAudio.sine(frequency, amplitude: 6000, count: 160, from: frame * 160)
                mixer.receive(laws[name]!.encode(samples), from: name)
            }
            for (participant, payload) in mixer.tick() {
                heard[participant, default: []] += laws[participant]!.decode(payload)
            }
        }
        for (name, ownFrequency) in tones {
            let output = heard[name] ?? []
            #expect(output.count == 800)
            let own = TestAudio.power(of: ownFrequency, in: output)
            for (other, frequency) in tones where other != name {
                let power = TestAudio.power(of: frequency, in: output)
                #expect(power > 1_000_000, "\(name) hears \(other)")  // a 6000-amplitude sine gives 9 000 000
                #expect(power > 1000 * own, "\(name) does not hear itself")
            }
        }
    }

    @Test func aSilentParticipantContributesSilenceAndHearsEveryone() {
        var mixer = ConferenceMixer<Int>()
        mixer.join(1, law: .muLaw)
        mixer.join(2, law: .muLaw)
        mixer.join(3, law: .aLaw)
        let loud = G711Law.muLaw.encode(TestAudio.sine(500, amplitude: 4000, count: 160))
        mixer.receive(loud, from: 1)
        let outputs = Dictionary(uniqueKeysWithValues: mixer.tick().map { ($0.participant, $0.payload) })
        #expect(outputs[1] == [UInt8](repeating: 0xFF, count: 160))  // only itself spoke: silence
        #expect(outputs[2] == loud)
        #expect(outputs[3] == G711Law.aLaw.transcode(loud, from: .muLaw))
        // Nothing queued: the next tick is silence for everyone.
        let quiet = mixer.tick()
        #expect(quiet.allSatisfy { output in output.payload.allSatisfy { $0 == 0xFF || $0 == 0xD5 } })
    }

    @Test func loudSumsSaturateInsteadOfWrapping() {
        var mixer = ConferenceMixer<Int>()
        for id in 1...3 { mixer.join(id, law: .muLaw) }
        let peak = [UInt8](repeating: 0x80, count: 160)  // +32124
        mixer.receive(peak, from: 1)
        mixer.receive(peak, from: 2)
        let outputs = Dictionary(uniqueKeysWithValues: mixer.tick().map { ($0.participant, $0.payload) })
        #expect(outputs[3] == peak)  // 64248 clamps to 32767, which encodes as the largest positive code
        #expect(outputs[1] == peak)
    }

    @Test func roomHoldsAtMostItsCapacity() {
        var mixer = ConferenceMixer<Int>()
        let joined = (0..<32).map { mixer.join($0, law: .aLaw) }
        #expect(joined.allSatisfy { $0 })
        #expect(mixer.isFull)
        let overCapacity = mixer.join(32, law: .aLaw)
        let twice = mixer.join(0, law: .aLaw)
        #expect(!overCapacity && !twice)
        mixer.leave(5)
        let afterLeaving = mixer.join(32, law: .aLaw)
        #expect(afterLeaving)
        #expect(mixer.participants.count == 32)
        #expect(!mixer.participants.contains(5))
    }

    @Test func aBurstWaitsInAShortQueue() {
        var mixer = ConferenceMixer<Int>()
        mixer.join(1, law: .muLaw)
        mixer.join(2, law: .muLaw)
        let frames = (0..<6).map { [UInt8](repeating: UInt8(0x90 + $0), count: 160) }
        for frame in frames { mixer.receive(frame, from: 1) }
        let heard = (0..<5).map { _ in mixer.tick().first { $0.participant == 2 }?.payload.first }
        // Four frames fit; the two oldest were dropped to make room.
        #expect(heard == [0x92, 0x93, 0x94, 0x95, 0xFF])
    }
}
