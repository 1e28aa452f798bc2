// The values Milenage computes (TS 35.206 §4.1; their roles in TS 33.102 §6.3.2–6.3.3).

/// A 64-bit message authentication code: MAC-A = f1 (the network authenticates itself in AUTN) or MAC-S = f1* (the
/// USIM authenticates a resynchronisation request in AUTS).
public struct MAC: PublicAKAParameter {
    public static let byteCount = 8
    public static let parameterName = "MAC"

    public let value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        value = try BigEndian.value(bytes, count: Self.byteCount, name: Self.parameterName)
    }

    public var bytes: [UInt8] { BigEndian.bytes(value, count: Self.byteCount) }
}

/// RES = f2: the USIM's 64-bit answer to RAND; the HSS hands it out as XRES, the expected answer (TS 33.102 §6.3.2).
/// With Digest AKA it is also the digest password (RFC 3310 §3.3, `akav1Password`), hence redacted.
public struct RES: RedactedAKAParameter {
    public static let byteCount = 8
    public static let parameterName = "RES"

    public let value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        value = try BigEndian.value(bytes, count: Self.byteCount, name: Self.parameterName)
    }

    public var bytes: [UInt8] { BigEndian.bytes(value, count: Self.byteCount) }
}

/// CK = f3: the 128-bit cipher key (TS 33.102 §6.3.2); in the IMS, the IPsec encryption key between UE and P-CSCF
/// (TS 33.203 §7.1).
public struct CK: RedactedAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "CK"

    let block: Block128

    init(block: Block128) {
        self.block = block
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }
}

/// IK = f4: the 128-bit integrity key (TS 33.102 §6.3.2); in the IMS, the IPsec integrity key between UE and
/// P-CSCF (TS 33.203 §7.1).
public struct IK: RedactedAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "IK"

    let block: Block128

    init(block: Block128) {
        self.block = block
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }
}

/// A 48-bit anonymity key: AK = f5 conceals SQN in AUTN, AK* = f5* conceals SQN_MS in AUTS (TS 33.102 §6.3.2,
/// §6.3.3), so that an eavesdropper cannot follow a subscriber by its sequence numbers.
public struct AK: PublicAKAParameter {
    public static let byteCount = 6
    public static let parameterName = "AK"

    /// Always below 2⁴⁸.
    public let value: UInt64

    /// The first 48 bits of an OUT block: f5 is OUT2[0..47], f5* is OUT5[0..47] (TS 35.206 §4.1).
    init(leadingBitsOf block: Block128) {
        value = block.high >> 16
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        value = try BigEndian.value(bytes, count: Self.byteCount, name: Self.parameterName)
    }

    public var bytes: [UInt8] { BigEndian.bytes(value, count: Self.byteCount) }

    /// SQN ⊕ AK, the "concealed" form (and back again: the XOR is its own inverse).
    func conceal(_ value: UInt64) -> UInt64 { (value ^ self.value) & SQN.maxValue }
}
