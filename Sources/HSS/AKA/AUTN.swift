/// AUTN = SQN ⊕ AK ‖ AMF ‖ MAC-A: the 128-bit authentication token with which the network proves to the USIM that
/// the challenge is fresh and comes from the subscriber's home network (TS 33.102 §6.3.2).
public struct AUTN: PublicAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "AUTN"

    /// SQN ⊕ AK (48 bits): SQN, concealed so that it cannot be used to trace the subscriber.
    public let concealedSQN: UInt64
    public let amf: AMF
    /// MAC-A = f1(SQN, RAND, AMF).
    public let mac: MAC

    /// The token for `sqn`, concealed with `ak` = f5(RAND).
    public init(sqn: SQN, ak: AK, amf: AMF, mac: MAC) {
        concealedSQN = ak.conceal(sqn.value)
        self.amf = amf
        self.mac = mac
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        let bytes = Array(bytes)
        guard bytes.count == Self.byteCount else {
            throw AKAError(.wrongLength, "AUTN: expected 16 bytes, got \(bytes.count)")
        }
        concealedSQN = try BigEndian.value(bytes[0..<6], count: 6, name: "AUTN")
        amf = try AMF(bytes: bytes[6..<8])
        mac = try MAC(bytes: bytes[8..<16])
    }

    public var bytes: [UInt8] {
        BigEndian.bytes(concealedSQN, count: 6) + amf.bytes + mac.bytes
    }

    /// SQN, given AK = f5(RAND) (what the USIM does first, TS 33.102 §6.3.3).
    public func sqn(revealedBy ak: AK) -> SQN {
        SQN(truncating: ak.conceal(concealedSQN))
    }
}
