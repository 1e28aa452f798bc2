/// Resynchronisation (TS 33.102 §6.3.3 at the USIM, §6.3.5 at the HSS/AuC).
///
/// ```
///   USIM: SQN in AUTN not acceptable
///         AUTS = SQN_MS ⊕ f5*(RAND) ‖ f1*(SQN_MS, RAND, AMF = 0000)   ──► (via S-CSCF, Cx MAR with RAND ‖ AUTS)
///   HSS:  SQN_MS = (AUTS[0..47]) ⊕ f5*(RAND)
///         MAC-S must equal f1*(SQN_MS, RAND, 0000), else reject
///         SEQ_HE := SEQ_MS; new vectors follow
/// ```
extension Milenage {
    /// The USIM side (TS 33.102 §6.3.3): the AUTS a USIM holding this K would send for `rand` when its highest
    /// accepted SQN is `sqnMS`. For tests and for a simulated UE; the HSS never needs it.
    public func resynchronisationToken(rand: RAND, sqnMS: SQN) -> AUTS {
        let temp = temp(rand)
        let akStar = AK(leadingBitsOf: out(temp: temp, .out5))
        let macS = MAC(out1(temp: temp, sqn: sqnMS, amf: .resynchronisation).low)
        return AUTS(sqnMS: sqnMS, akStar: akStar, mac: macS)
    }

    /// The HSS side (TS 33.102 §6.3.5): SQN_MS from `auts`, given the `rand` of the challenge it answers, once MAC-S
    /// proves the AUTS came from the USIM holding K. `.resynchronisationMACMismatch` otherwise: a forged or garbled
    /// AUTS, or a RAND that is not the one the UE was challenged with.
    public func verifyResynchronisation(rand: RAND, auts: AUTS) throws(AKAError) -> SQN {
        let temp = temp(rand)
        let akStar = AK(leadingBitsOf: out(temp: temp, .out5))
        let sqnMS = auts.sqnMS(revealedBy: akStar)
        let expected = MAC(out1(temp: temp, sqn: sqnMS, amf: .resynchronisation).low)
        // One 64-bit comparison: no early exit on a matching prefix for a timing attack to measure.
        guard expected.value == auts.mac.value else {
            throw AKAError(.resynchronisationMACMismatch, "MAC-S in AUTS does not match f1*(SQN_MS, RAND, 0000)")
        }
        return sqnMS
    }
}

extension SequenceNumberState {
    /// Verifies `auts` against `rand` with `milenage` and, when it holds, sets SEQ_HE to SEQ_MS
    /// (TS 33.102 §6.3.5). Returns SQN_MS. On `.resynchronisationMACMismatch` the state is unchanged.
    @discardableResult
    public mutating func resynchronise(using milenage: Milenage, rand: RAND, auts: AUTS) throws(AKAError) -> SQN {
        let sqnMS = try milenage.verifyResynchronisation(rand: rand, auts: auts)
        resynchronise(to: sqnMS)
        return sqnMS
    }
}
