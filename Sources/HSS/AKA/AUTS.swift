/// AUTS = SQN_MS ⊕ AK* ‖ MAC-S: the 112-bit resynchronisation token a USIM returns when the SQN in AUTN is not
/// acceptable to it (TS 33.102 §6.3.3, §6.3.5). SQN_MS is the highest sequence number the USIM has accepted.
public struct AUTS: PublicAKAParameter {
    public static let byteCount = 14
    public static let parameterName = "AUTS"

    /// SQN_MS ⊕ AK* (48 bits).
    public let concealedSQN: UInt64
    /// MAC-S = f1*(SQN_MS, RAND, AMF = 0000).
    public let mac: MAC

    /// The token for `sqnMS`, concealed with `akStar` = f5*(RAND).
    public init(sqnMS: SQN, akStar: AK, mac: MAC) {
        concealedSQN = akStar.conceal(sqnMS.value)
        self.mac = mac
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        let bytes = Array(bytes)
        guard bytes.count == Self.byteCount else {
            throw AKAError(.wrongLength, "AUTS: expected 14 bytes, got \(bytes.count)")
        }
        concealedSQN = try BigEndian.value(bytes[0..<6], count: 6, name: "AUTS")
        mac = try MAC(bytes: bytes[6..<14])
    }

    public var bytes: [UInt8] {
        BigEndian.bytes(concealedSQN, count: 6) + mac.bytes
    }

    /// SQN_MS, given AK* = f5*(RAND).
    public func sqnMS(revealedBy akStar: AK) -> SQN {
        SQN(truncating: akStar.conceal(concealedSQN))
    }
}
