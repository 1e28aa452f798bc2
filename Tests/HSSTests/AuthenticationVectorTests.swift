import Testing

@testable import HSS

/// A generator that yields fixed words, so that `RAND.random(using:)` yields a known RAND.
struct FixedWords: RandomNumberGenerator {
    var words: [UInt64]

    mutating func next() -> UInt64 {
        words.isEmpty ? 0 : words.removeFirst()
    }
}

/// Authentication vectors (TS 33.102 §6.3.2) built from Milenage, checked against TS 35.208 test set 1 and by
/// doing what the USIM does with AUTN.
@Suite struct AuthenticationVectorTests {
    let set = MilenageTestSet.all[0]

    @Test func vectorForTestSet1() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        let vector = try milenage.authenticationVector(
            rand: RAND(hex: set.rand), sqn: SQN(hex: set.sqn), amf: AMF(hex: set.amf))
        #expect(vector.rand.hex == set.rand)
        #expect(vector.xres.hex == set.f2)
        #expect(vector.ck.hex == set.f3)
        #expect(vector.ik.hex == set.f4)
        // AUTN = (SQN ⊕ AK) ‖ AMF ‖ MAC-A = (ff9bb4d0b607 ⊕ aa689c648370) ‖ b9b9 ‖ 4a9ffac354dfafb3
        #expect(vector.autn.hex == "55f328b43577b9b94a9ffac354dfafb3")
        #expect(vector.autn.amf.hex == set.amf)
        #expect(vector.autn.mac.hex == set.f1)
    }

    @Test func autnParsesBack() throws {
        let autn = try AUTN(hex: "55f328b43577b9b94a9ffac354dfafb3")
        #expect(autn.concealedSQN == 0x55f3_28b4_3577)
        #expect(autn.sqn(revealedBy: try AK(hex: set.f5)).hex == set.sqn)
        #expect(autn.amf == AMF(0xb9b9))
        #expect(autn.mac == MAC(0x4a9f_fac3_54df_afb3))
        #expect(throws: AKAError.self) { try AUTN(bytes: [UInt8](repeating: 0, count: 15)) }
    }

    /// The generator's first word is RAND's first eight bytes, the second word the last eight; the SQN comes from
    /// the state, which moves on.
    @Test func nextVectorUsesInjectedRandomnessAndTheCounter() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), opc: OPc(hex: set.opc))
        var random = FixedWords(words: [0x2355_3cbe_9637_a89d, 0x218a_e64d_ae47_bf35])
        var state = SequenceNumberState()
        let vector = milenage.nextAuthenticationVector(amf: AMF(0x8000), sequenceNumbers: &state, using: &random)
        #expect(vector.rand.hex == set.rand)
        #expect(vector.xres.hex == set.f2)
        #expect(state.sequence == 1)
        #expect(state.nextIndex == 1)

        // What the USIM does (TS 33.102 §6.3.3): reveal SQN with f5, check MAC-A with f1.
        let sqn = vector.autn.sqn(revealedBy: milenage.f5(rand: vector.rand))
        #expect(sqn.value == 0b1_00000)
        #expect(milenage.f1(rand: vector.rand, sqn: sqn, amf: vector.autn.amf) == vector.autn.mac)
    }

    /// Successive vectors never repeat RAND or SQN.
    @Test func successiveVectorsDiffer() throws {
        let milenage = try Milenage(key: AKAKey(hex: set.k), op: OP(hex: set.op))
        var random = SystemRandomNumberGenerator()
        var state = SequenceNumberState()
        var sqns: [SQN] = []
        var rands: Set<RAND> = []
        for _ in 0..<40 {
            let vector = milenage.nextAuthenticationVector(amf: AMF(0x8000), sequenceNumbers: &state, using: &random)
            sqns.append(vector.autn.sqn(revealedBy: milenage.f5(rand: vector.rand)))
            rands.insert(vector.rand)
        }
        #expect(rands.count == 40)
        #expect(zip(sqns, sqns.dropFirst()).allSatisfy { $0 < $1 })
    }
}
