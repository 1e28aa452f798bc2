/// SQN: the 48-bit sequence number that makes each authentication vector fresh (TS 33.102 §6.3.2, §6.3.7).
///
/// How its bits split into SEQ and IND is the HSS's choice (TS 33.102 Annex C); `SequenceNumberState` makes that
/// choice. The USIM accepts a vector only with an SQN it has not yet seen in the slot that SQN's IND selects.
public struct SQN: PublicAKAParameter, Comparable {
    public static let byteCount = 6
    public static let parameterName = "SQN"
    /// The largest 48-bit value.
    public static let maxValue: UInt64 = (1 << 48) - 1

    public let value: UInt64

    /// `.outOfRange` when `value` needs more than 48 bits.
    public init(_ value: UInt64) throws(AKAError) {
        guard value <= Self.maxValue else {
            throw AKAError(.outOfRange, "SQN: \(value) needs more than 48 bits")
        }
        self.value = value
    }

    /// The low 48 bits of `value`, for values that are 48 bits by construction (a XOR of two of them).
    init(truncating value: UInt64) {
        self.value = value & Self.maxValue
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        value = try BigEndian.value(bytes, count: Self.byteCount, name: Self.parameterName)
    }

    public var bytes: [UInt8] { BigEndian.bytes(value, count: Self.byteCount) }

    public static func < (lhs: SQN, rhs: SQN) -> Bool { lhs.value < rhs.value }
}

/// AMF: the 16-bit authentication management field carried in AUTN and covered by MAC-A (TS 33.102 §6.3.2,
/// Annex H). Bit 0 (the most significant, `0x8000`) is the "AMF separation bit" that E-UTRAN requires to be 1
/// (TS 33.401 §6.1.2); the IMS does not look at it.
public struct AMF: PublicAKAParameter {
    public static let byteCount = 2
    public static let parameterName = "AMF"

    /// The dummy AMF that f1* takes when computing or checking MAC-S: all zeros (TS 33.102 §6.3.3), so that the
    /// resynchronisation token never depends on a field the USIM may not know.
    public static let resynchronisation = AMF(0)

    public let value: UInt16

    public init(_ value: UInt16) {
        self.value = value
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        value = UInt16(try BigEndian.value(bytes, count: Self.byteCount, name: Self.parameterName))
    }

    public var bytes: [UInt8] { BigEndian.bytes(UInt64(value), count: Self.byteCount) }
}
