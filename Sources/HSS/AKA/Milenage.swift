/// MILENAGE, the 3GPP example set of authentication and key generation functions f1, f1*, f2, f3, f4, f5 and f5*
/// (TS 35.206 §4.1), for one subscriber's K and OPc.
///
/// ```
///                          RAND ⊕ OPc
///                              │
///                            E_K ──► TEMP
///   IN1 = SQN‖AMF‖SQN‖AMF
///   OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc      f1 = OUT1[0..63]    f1* = OUT1[64..127]
///   OUT2 = E_K(rot(TEMP ⊕ OPc, r2) ⊕ c2) ⊕ OPc            f5 = OUT2[0..47]    f2  = OUT2[64..127]
///   OUT3 = E_K(rot(TEMP ⊕ OPc, r3) ⊕ c3) ⊕ OPc            f3 = OUT3
///   OUT4 = E_K(rot(TEMP ⊕ OPc, r4) ⊕ c4) ⊕ OPc            f4 = OUT4
///   OUT5 = E_K(rot(TEMP ⊕ OPc, r5) ⊕ c5) ⊕ OPc            f5* = OUT5[0..47]
/// ```
///
/// with the constants of TS 35.206 §4.1: r1 = 64, r2 = 0, r3 = 32, r4 = 64, r5 = 96 (bits) and c1 … c5 = 0, 1, 2, 4, 8
/// in the last bits of a 128-bit block. E_K is AES-128 (`AES128Encryptor`), keyed once per `Milenage`.
///
/// Not `Sendable` (it owns an OpenSSL context): make one per subscriber operation. Making one costs an AES key
/// schedule; each function below costs one block encryption for TEMP plus one per OUT it needs.
public struct Milenage {
    /// OPc, given or derived from OP (TS 35.206 §4.1).
    public let opc: OPc
    private let cipher: AES128Encryptor

    /// Milenage with a provisioned OPc (the usual case: OP itself is not stored per subscriber).
    public init(key: AKAKey, opc: OPc) throws(AKAError) {
        cipher = try AES128Encryptor(key: key.block)
        self.opc = opc
    }

    /// Milenage with the operator's OP; OPc is derived from it and K.
    public init(key: AKAKey, op: OP) throws(AKAError) {
        cipher = try AES128Encryptor(key: key.block)
        opc = Self.opc(op: op, cipher: cipher)
    }

    /// OPc = OP ⊕ E_K(OP) (TS 35.206 §4.1), for provisioning OPc from OP.
    public static func opc(key: AKAKey, op: OP) throws(AKAError) -> OPc {
        opc(op: op, cipher: try AES128Encryptor(key: key.block))
    }

    private static func opc(op: OP, cipher: AES128Encryptor) -> OPc {
        OPc(block: cipher.encrypt(op.block) ^ op.block)
    }

    // MARK: The functions one at a time (each recomputes TEMP)

    /// f1: MAC-A, the network authentication code in AUTN (TS 33.102 §6.3.2).
    public func f1(rand: RAND, sqn: SQN, amf: AMF) -> MAC {
        MAC(out1(temp: temp(rand), sqn: sqn, amf: amf).high)
    }

    /// f1*: MAC-S, the resynchronisation authentication code in AUTS (TS 33.102 §6.3.3); AMF is
    /// `AMF.resynchronisation` there.
    public func f1Star(rand: RAND, sqn: SQN, amf: AMF) -> MAC {
        MAC(out1(temp: temp(rand), sqn: sqn, amf: amf).low)
    }

    /// f2: RES (XRES at the network).
    public func f2(rand: RAND) -> RES {
        RES(out(temp: temp(rand), .out2).low)
    }

    /// f3: CK.
    public func f3(rand: RAND) -> CK {
        CK(block: out(temp: temp(rand), .out3))
    }

    /// f4: IK.
    public func f4(rand: RAND) -> IK {
        IK(block: out(temp: temp(rand), .out4))
    }

    /// f5: AK, which conceals SQN in AUTN.
    public func f5(rand: RAND) -> AK {
        AK(leadingBitsOf: out(temp: temp(rand), .out2))
    }

    /// f5*: AK*, which conceals SQN_MS in AUTS.
    public func f5Star(rand: RAND) -> AK {
        AK(leadingBitsOf: out(temp: temp(rand), .out5))
    }

    /// Every output for one RAND, SQN and AMF with TEMP computed once (six block encryptions in all).
    public func outputs(rand: RAND, sqn: SQN, amf: AMF) -> MilenageOutputs {
        let temp = temp(rand)
        let out1 = out1(temp: temp, sqn: sqn, amf: amf)
        let out2 = out(temp: temp, .out2)
        return MilenageOutputs(
            macA: MAC(out1.high), macS: MAC(out1.low), res: RES(out2.low), ck: CK(block: out(temp: temp, .out3)),
            ik: IK(block: out(temp: temp, .out4)), ak: AK(leadingBitsOf: out2),
            akStar: AK(leadingBitsOf: out(temp: temp, .out5)))
    }

    // MARK: The building blocks of TS 35.206 §4.1

    /// The rotation r and constant c of OUT2 … OUT5.
    struct OutParameters {
        var rotation: Int
        var constant: UInt64

        static let out2 = OutParameters(rotation: 0, constant: 1)
        static let out3 = OutParameters(rotation: 32, constant: 2)
        static let out4 = OutParameters(rotation: 64, constant: 4)
        static let out5 = OutParameters(rotation: 96, constant: 8)
    }

    /// r1 = 64 and c1 = 0 (TS 35.206 §4.1).
    private static let out1Rotation = 64

    /// TEMP = E_K(RAND ⊕ OPc).
    func temp(_ rand: RAND) -> Block128 {
        cipher.encrypt(rand.block ^ opc.block)
    }

    /// OUT1 = E_K(TEMP ⊕ rot(IN1 ⊕ OPc, r1) ⊕ c1) ⊕ OPc with IN1 = SQN ‖ AMF ‖ SQN ‖ AMF.
    func out1(temp: Block128, sqn: SQN, amf: AMF) -> Block128 {
        let half = sqn.value << 16 | UInt64(amf.value)
        let in1 = Block128(high: half, low: half)
        return cipher.encrypt(temp ^ (in1 ^ opc.block).rotated(left: Self.out1Rotation)) ^ opc.block
    }

    /// OUTk = E_K(rot(TEMP ⊕ OPc, rk) ⊕ ck) ⊕ OPc for k = 2 … 5.
    func out(temp: Block128, _ parameters: OutParameters) -> Block128 {
        let input = (temp ^ opc.block).rotated(left: parameters.rotation) ^ Block128(high: 0, low: parameters.constant)
        return cipher.encrypt(input) ^ opc.block
    }
}

/// All seven Milenage outputs for one RAND, SQN and AMF (TS 35.206 §4.1).
public struct MilenageOutputs: Hashable, Sendable {
    /// f1
    public var macA: MAC
    /// f1*
    public var macS: MAC
    /// f2
    public var res: RES
    /// f3
    public var ck: CK
    /// f4
    public var ik: IK
    /// f5
    public var ak: AK
    /// f5*
    public var akStar: AK
}
