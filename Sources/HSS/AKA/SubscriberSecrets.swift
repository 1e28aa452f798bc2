/// K: the 128-bit subscriber key shared by the USIM and the HSS/AuC (TS 33.102 §6.3.7; TS 35.206 §2).
public struct AKAKey: RedactedAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "K"

    let block: Block128

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }
}

/// OP: the 128-bit operator variant algorithm configuration field (TS 35.206 §2). Operators usually provision OPc
/// instead, so that OP itself never sits on a USIM or in a subscriber record; `Milenage.opc(key:op:)` derives it.
public struct OP: RedactedAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "OP"

    let block: Block128

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }
}

/// OPc = OP ⊕ E_K(OP): OP bound to one subscriber's K (TS 35.206 §4.1). What Milenage actually uses.
public struct OPc: RedactedAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "OPc"

    let block: Block128

    init(block: Block128) {
        self.block = block
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }
}
