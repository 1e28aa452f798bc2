/// RAND: the 128-bit random challenge of an authentication vector (TS 33.102 §6.3.2).
///
/// It must be unpredictable: a RAND an attacker could guess lets them precompute the challenge. The live node draws
/// it from `SystemRandomNumberGenerator` (the kernel's CSPRNG); tests inject a generator to get fixed values
/// (STYLE rule 10).
public struct RAND: PublicAKAParameter {
    public static let byteCount = 16
    public static let parameterName = "RAND"

    let block: Block128

    init(block: Block128) {
        self.block = block
    }

    public init(bytes: some Collection<UInt8>) throws(AKAError) {
        block = try Block128(bytes: bytes, name: Self.parameterName)
    }

    public var bytes: [UInt8] { block.bytes }

    /// A fresh RAND from two draws of `generator`: the first gives bytes 0–7, the second bytes 8–15 (each most
    /// significant byte first), so a test generator that yields known words yields a known RAND.
    public static func random(using generator: inout some RandomNumberGenerator) -> RAND {
        let high = generator.next()
        let low = generator.next()
        return RAND(block: Block128(high: high, low: low))
    }
}
