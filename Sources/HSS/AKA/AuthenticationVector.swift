/// An authentication vector, the quintet the HSS/AuC hands to the S-CSCF for one challenge (TS 33.102 §6.3.2;
/// in the IMS, one item of a Cx Multimedia-Auth-Answer, TS 29.228 and TS 29.229):
///
/// ```
///   RAND ──► f2 ──► XRES        AUTN = SQN ⊕ AK ‖ AMF ‖ MAC-A
///        ├─► f3 ──► CK          MAC-A = f1(SQN, RAND, AMF)
///        ├─► f4 ──► IK          AK    = f5(RAND)
///        └─► f5 ──► AK
/// ```
public struct AuthenticationVector: Hashable, Sendable {
    public var rand: RAND
    /// The expected response; the S-CSCF compares the UE's digest, computed with RES, against it.
    public var xres: RES
    public var ck: CK
    public var ik: IK
    public var autn: AUTN

    public init(rand: RAND, xres: RES, ck: CK, ik: IK, autn: AUTN) {
        self.rand = rand
        self.xres = xres
        self.ck = ck
        self.ik = ik
        self.autn = autn
    }
}

extension Milenage {
    /// The vector for a given RAND and SQN (TS 33.102 §6.3.2): five block encryptions (TEMP, OUT1 … OUT4).
    public func authenticationVector(rand: RAND, sqn: SQN, amf: AMF) -> AuthenticationVector {
        let temp = temp(rand)
        let macA = MAC(out1(temp: temp, sqn: sqn, amf: amf).high)
        let out2 = out(temp: temp, .out2)
        let ak = AK(leadingBitsOf: out2)
        return AuthenticationVector(
            rand: rand, xres: RES(out2.low), ck: CK(block: out(temp: temp, .out3)),
            ik: IK(block: out(temp: temp, .out4)), autn: AUTN(sqn: sqn, ak: ak, amf: amf, mac: macA))
    }

    /// The next vector for a subscriber: a fresh RAND from `generator` and the next SQN from `sequenceNumbers`
    /// (TS 33.102 §6.3.2, Annex C). The caller stores the updated `sequenceNumbers` with the subscriber before it
    /// hands the vector out, so that no SQN is ever issued twice.
    public func nextAuthenticationVector(
        amf: AMF, sequenceNumbers: inout SequenceNumberState, using generator: inout some RandomNumberGenerator
    ) -> AuthenticationVector {
        let rand = RAND.random(using: &generator)
        return authenticationVector(rand: rand, sqn: sequenceNumbers.next(), amf: amf)
    }
}
