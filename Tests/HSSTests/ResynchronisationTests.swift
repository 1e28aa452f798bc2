import Testing

@testable import HSS

/// Resynchronisation (TS 33.102 §6.3.3 at the USIM, §6.3.5 at the HSS): AUTS built and checked with f5* and f1*.
@Suite struct ResynchronisationTests {
    let set = MilenageTestSet.all[0]

    /// Known answer for test set 1's K, OPc and RAND with SQN_MS = 000000000fe0 (SEQ 127, IND 0), computed with a
    /// separate implementation: AUTS = (SQN_MS ⊕ f5*) ‖ f1*(SQN_MS, RAND, 0000).
    @Test func tokenForTestSet1() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let auts = milenage.resynchronisationToken(rand: try RAND(hex: set.rand), sqnMS: try SQN(hex: "000000000fe0"))
        #expect(auts.hex == "451e8becabdbd3c394f5c87aec75")
        #expect(auts.sqnMS(revealedBy: try AK(hex: set.f5Star)).hex == "000000000fe0")
    }

    /// An AUTS from outside this code: hostapd's `tests/test-milenage.c` checks this one as valid for TS 35.208
    /// test set 20 (K, OPc, RAND below); its SQN_MS is 1.
    @Test func hostapdTokenForTestSet20() throws {
        let milenage = try Milenage(
            key: AKAKey(hex: "90dca4eda45b53cf0f12d7c9c3bc6a89"), opc: OPc(hex: "cb9cccc4b9258e6dca4760379fb82581"))
        let rand = try RAND(hex: "9fddc72092c6ad036b6e464789315b78")
        let sqnMS = try milenage.verifyResynchronisation(rand: rand, auts: AUTS(hex: "4f2039392ddd4bb4316ed4a14688"))
        #expect(sqnMS.value == 1)
    }

    @Test func verifiedTokenResetsTheCounter() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let rand = try RAND(hex: set.rand)
        let auts = milenage.resynchronisationToken(rand: rand, sqnMS: try SQN(hex: "000000000fe0"))
        var state = SequenceNumberState()
        let sqnMS = try state.resynchronise(using: milenage, rand: rand, auts: auts)
        #expect(sqnMS.hex == "000000000fe0")
        #expect(state.sequence == 127)
        #expect(SequenceNumberState.sequence(of: state.next()) == 128)
    }

    @Test func tamperedTokenIsRejected() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let rand = try RAND(hex: set.rand)
        var bytes = milenage.resynchronisationToken(rand: rand, sqnMS: try SQN(0x0fe0)).bytes
        var state = try SequenceNumberState(sequence: 9, nextIndex: 2)
        let before = state

        for position in [0, 5, 6, 13] {
            var tampered = bytes
            tampered[position] ^= 0x01
            #expect {
                try state.resynchronise(using: milenage, rand: rand, auts: AUTS(bytes: tampered))
            } throws: { error in
                (error as? AKAError)?.code == .resynchronisationMACMismatch
            }
        }
        #expect(state == before, "a rejected AUTS changes nothing")

        // The right AUTS against another RAND (not the challenge it answers) fails too.
        bytes = milenage.resynchronisationToken(rand: rand, sqnMS: try SQN(0x0fe0)).bytes
        #expect(throws: AKAError.self) {
            try milenage.verifyResynchronisation(rand: RAND(hex: MilenageTestSet.all[1].rand), auts: AUTS(bytes: bytes))
        }
        // And so does an AUTS made with another subscriber's K.
        let other = try Milenage(key: AKAKey(hex: MilenageTestSet.all[1].k), opc: OPc(hex: MilenageTestSet.all[1].opc))
        #expect(throws: AKAError.self) {
            try milenage.verifyResynchronisation(
                rand: rand, auts: other.resynchronisationToken(rand: rand, sqnMS: try SQN(0x0fe0)))
        }
    }

    /// The whole loop: the HSS's counter was lost (restored from an old backup), the USIM refuses the next vector,
    /// answers with AUTS, the HSS resynchronises, and the vector after that is accepted.
    @Test func lostCounterRecovers() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), op: OP(hex: set.op))
        var random = SeededWords(seed: 7)
        var usim = SimulatedUSIMCounter()
        var state = SequenceNumberState()
        for _ in 0..<50 {
            let vector = milenage.nextAuthenticationVector(amf: AMF(0x8000), sequenceNumbers: &state, using: &random)
            let accepted = usim.accept(vector.autn.sqn(revealedBy: milenage.f5(rand: vector.rand)))
            #expect(accepted)
        }

        state = SequenceNumberState()  // the backup
        let stale = milenage.nextAuthenticationVector(amf: AMF(0x8000), sequenceNumbers: &state, using: &random)
        let refused = !usim.accept(stale.autn.sqn(revealedBy: milenage.f5(rand: stale.rand)))
        #expect(refused)
        let auts = milenage.resynchronisationToken(rand: stale.rand, sqnMS: usim.highest)

        try state.resynchronise(using: milenage, rand: stale.rand, auts: auts)
        for _ in 0..<40 {
            let fresh = milenage.nextAuthenticationVector(amf: AMF(0x8000), sequenceNumbers: &state, using: &random)
            let accepted = usim.accept(fresh.autn.sqn(revealedBy: milenage.f5(rand: fresh.rand)))
            #expect(accepted)
        }
    }
}

/// SplitMix64: deterministic words for tests that need many RANDs.
struct SeededWords: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
