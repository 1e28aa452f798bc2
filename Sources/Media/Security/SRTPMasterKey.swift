/// One side's SDES master key and salt for a suite (RFC 4568 §6.1 `inline:` key‖salt), checked for length.
///
/// Gatehouse makes its own per leg and stream (`random`), from the system's CSPRNG unless a generator is injected
/// (tests); a leg's far end sends its own in `a=crypto`. A key never crosses to the other leg.
public struct SRTPMasterKey: Sendable, Hashable, CustomStringConvertible {
    public let suite: SRTPCryptoSuite
    /// Master key followed by master salt.
    public let keySalt: [UInt8]

    /// Nil when `keySalt` is not `suite.keySaltLength` bytes.
    public init?(suite: SRTPCryptoSuite, keySalt: [UInt8]) {
        guard keySalt.count == suite.keySaltLength else { return nil }
        self.init(checked: suite, keySalt: keySalt)
    }

    private init(checked suite: SRTPCryptoSuite, keySalt: [UInt8]) {
        self.suite = suite
        self.keySalt = keySalt
    }

    /// A fresh key from `generator` (`SystemRandomNumberGenerator` reads the kernel's CSPRNG, `getrandom(2)`).
    public static func random(
        for suite: SRTPCryptoSuite, using generator: inout some RandomNumberGenerator
    ) -> SRTPMasterKey {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(suite.keySaltLength)
        while bytes.count < suite.keySaltLength {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) where bytes.count < suite.keySaltLength {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return SRTPMasterKey(checked: suite, keySalt: bytes)
    }

    /// Never shows the key, so keyings can be logged.
    public var description: String { "\(suite) key (hidden)" }
}
