import IMSInterfaces

/// A fixed-length AKA field (K, OP, OPc, RAND, SQN, AMF, MAC, RES, CK, IK, AK, AUTN, AUTS) with its byte and hex
/// forms.
///
/// Every field has one length (TS 33.102 §6.3.7, TS 35.206 §2), so parsing checks it and the types keep a K from
/// being passed where a RAND belongs. The byte order is the specifications' throughout: most significant first.
public protocol AKAParameter: Hashable, Sendable {
    /// The field's length in bytes.
    static var byteCount: Int { get }
    /// The field's name in TS 33.102 / TS 35.206, for error messages.
    static var parameterName: String { get }
    /// Exactly `byteCount` bytes; `.wrongLength` otherwise.
    init(bytes: some Collection<UInt8>) throws(AKAError)
    /// The field's bytes, most significant first.
    var bytes: [UInt8] { get }
}

extension AKAParameter {
    /// Exactly `2 × byteCount` hex digits of either case; `.wrongLength` or `.invalidHex` otherwise.
    public init(hex: some StringProtocol) throws(AKAError) {
        try self.init(bytes: Hex.decode(hex, byteCount: Self.byteCount, name: Self.parameterName))
    }

    /// Lowercase hex. For secrets (K, OP, OPc, CK, IK, RES) this is the one way to see the value: their
    /// `description` is redacted so that a log line cannot leak one.
    public var hex: String { Hex.encode(bytes) }
}

/// `description` for values that are secrets: the type is shown, the value is not.
public protocol RedactedAKAParameter: AKAParameter, CustomStringConvertible {}

extension RedactedAKAParameter {
    public var description: String { "\(Self.parameterName)(redacted)" }
}

/// `description` for values that travel in the clear anyway (RAND, AUTN, AUTS, …): their hex.
public protocol PublicAKAParameter: AKAParameter, CustomStringConvertible {}

extension PublicAKAParameter {
    public var description: String { hex }
}
