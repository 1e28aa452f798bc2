/// The two G.711 companding laws: µ-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8).
///
/// The arithmetic follows the ITU-T's own reference implementation (G.191 Software Tool Library, `g711.c`):
/// µ-law works on the top 14 bits of a 16-bit sample and A-law on the top 13, and a negative sample's magnitude is
/// taken by one's complement (`~x`), so -1 encodes as "negative zero" rather than as the smallest negative step.
/// Decoding returns the midpoint of each quantization step, scaled back to 16 bits. Both directions are table-driven:
/// 256-entry decode tables and a 128-entry segment (exponent) table for encoding.
public enum G711Law: Sendable, Hashable, CaseIterable {
    case muLaw
    case aLaw

    /// The static RTP payload type (RFC 3551 §6).
    public var payloadType: UInt8 {
        switch self {
        case .muLaw: 0
        case .aLaw: 8
        }
    }

    /// The SDP encoding name (RFC 3551 §6).
    public var encodingName: String {
        switch self {
        case .muLaw: "PCMU"
        case .aLaw: "PCMA"
        }
    }

    /// The byte a silent (zero) sample encodes to: what pads a short last frame.
    public var silence: UInt8 {
        switch self {
        case .muLaw: 0xFF
        case .aLaw: 0xD5
        }
    }

    /// The law with that static payload type, if any.
    public init?(payloadType: UInt8) {
        switch payloadType {
        case 0: self = .muLaw
        case 8: self = .aLaw
        default: return nil
        }
    }

    /// Encodes one 16-bit linear sample.
    @inlinable
    public func encode(_ sample: Int16) -> UInt8 {
        switch self {
        case .muLaw: G711Tables.encodeMuLaw(sample)
        case .aLaw: G711Tables.encodeALaw(sample)
        }
    }

    /// Decodes one byte to a 16-bit linear sample.
    @inlinable
    public func decode(_ byte: UInt8) -> Int16 {
        switch self {
        case .muLaw: G711Tables.muLawToLinear[Int(byte)]
        case .aLaw: G711Tables.aLawToLinear[Int(byte)]
        }
    }

    /// Encodes a run of samples.
    public func encode(_ samples: some Collection<Int16>) -> [UInt8] {
        samples.map { encode($0) }
    }

    /// Decodes a run of bytes.
    public func decode(_ bytes: some Collection<UInt8>) -> [Int16] {
        bytes.map { decode($0) }
    }

    /// Re-encodes bytes of another law through linear samples (G.711 Annex A's tables would do it in one step; going
    /// through linear gives the same codes for every value a decoder can produce, and needs no third table).
    public func transcode(_ bytes: some Collection<UInt8>, from source: G711Law) -> [UInt8] {
        source == self ? Array(bytes) : bytes.map { encode(source.decode($0)) }
    }
}

/// The tables behind `G711Law`, built once.
@usableFromInline
enum G711Tables {
    /// Bit length of 0...127: the segment (exponent) of a magnitude after its mantissa bits are shifted out.
    @usableFromInline
    static let segment: [UInt8] = (0..<128).map { value in
        var bits: UInt8 = 0
        var rest = value
        while rest != 0 {
            bits += 1
            rest >>= 1
        }
        return bits
    }

    @usableFromInline
    static let muLawToLinear: [Int16] = (0..<256).map { expandMuLaw(UInt8($0)) }

    @usableFromInline
    static let aLawToLinear: [Int16] = (0..<256).map { expandALaw(UInt8($0)) }

    /// G.191 `ulaw_compress`: bias the 14-bit magnitude by 33, find its segment, keep four mantissa bits, invert.
    @usableFromInline
    static func encodeMuLaw(_ sample: Int16) -> UInt8 {
        let linear = Int(sample)
        var magnitude = (linear < 0 ? ~linear : linear) >> 2 + 33
        if magnitude > 0x1FFF { magnitude = 0x1FFF }
        let exponent = Int(segment[magnitude >> 6])
        let mantissa = (magnitude >> (exponent + 1)) & 0x0F
        let code = 0x7F - (exponent << 4 | mantissa)
        return UInt8(linear >= 0 ? code | 0x80 : code)
    }

    /// G.191 `ulaw_expand`: the midpoint of the step, less the bias.
    static func expandMuLaw(_ code: UInt8) -> Int16 {
        let inverted = Int(~code)
        let exponent = (inverted >> 4) & 0x07
        let mantissa = inverted & 0x0F
        let step = 4 << (exponent + 1)
        let magnitude = (0x80 << exponent) + step * mantissa + step / 2 - 4 * 33
        return Int16(code < 0x80 ? -magnitude : magnitude)
    }

    /// G.191 `alaw_compress`: a 12-bit magnitude, segment 0 linear, then a leading one dropped; even bits inverted.
    @usableFromInline
    static func encodeALaw(_ sample: Int16) -> UInt8 {
        let linear = Int(sample)
        let magnitude = (linear < 0 ? ~linear : linear) >> 4
        let exponent = Int(segment[magnitude >> 4])
        let mantissa = (magnitude >> max(exponent - 1, 0)) & 0x0F
        let code = exponent << 4 | mantissa
        return UInt8((linear >= 0 ? code | 0x80 : code) ^ 0x55)
    }

    /// G.191 `alaw_expand`.
    static func expandALaw(_ code: UInt8) -> Int16 {
        let value = Int(code ^ 0x55) & 0x7F
        let exponent = value >> 4
        var mantissa = value & 0x0F
        if exponent > 0 { mantissa += 16 }
        mantissa = (mantissa << 4) + 0x08
        if exponent > 1 { mantissa <<= exponent - 1 }
        return Int16(code > 127 ? mantissa : -mantissa)
    }
}
