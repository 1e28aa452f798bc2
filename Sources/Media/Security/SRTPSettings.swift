/// Whether a leg runs SRTP (the policy's `srtp:` of the leg's realm, or of its peer).
public enum SRTPMode: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Plain RTP only: `RTP/AVP` without `a=crypto`; an SRTP-only offer (`RTP/SAVP`) from the leg is refused.
    case off
    /// Either: an offer from the leg is taken as it comes (SRTP with acceptable keys, or plain); toward the leg
    /// Gatehouse offers SRTP exactly when the other leg's offer was SRTP.
    case optional
    /// SRTP only: toward the leg Gatehouse always offers `RTP/SAVP` with its own keys, and an offer from the leg
    /// without acceptable `a=crypto` is refused (488).
    case required

    public var description: String { rawValue }
}

/// A leg's SRTP settings: the mode, the key exchanges the leg may use (the first is what Gatehouse offers), and
/// the SDES suites Gatehouse takes and offers there, in its order of preference.
public struct SRTPSettings: Sendable, Hashable {
    /// Default `off`.
    public var mode: SRTPMode
    /// Default `SRTPCryptoSuite.defaultPreference` (all three). Never empty.
    public var suites: [SRTPCryptoSuite]
    /// Default `[sdes, dtls]`: Gatehouse offers SDES, and takes either. Never empty. An offer from the leg is taken by any exchange listed here (refused, 488, by
    /// one that is not); toward the leg Gatehouse offers with the first (one `m=` line carries one key exchange).
    public var keyExchanges: [SRTPKeyExchange]

    public init(
        mode: SRTPMode = .off, suites: [SRTPCryptoSuite] = SRTPCryptoSuite.defaultPreference,
        keyExchanges: [SRTPKeyExchange] = [.sdes, .dtls]
    ) {
        self.mode = mode
        self.suites = suites.isEmpty ? SRTPCryptoSuite.defaultPreference : suites
        self.keyExchanges = keyExchanges.isEmpty ? [.sdes, .dtls] : keyExchanges
    }

    /// The exchange Gatehouse offers toward the leg.
    public var offeredKeyExchange: SRTPKeyExchange { keyExchanges.first ?? .sdes }
}
