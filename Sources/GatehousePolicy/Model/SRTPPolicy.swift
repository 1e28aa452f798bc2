/// SRTP on a leg (`realms.NAME.media.srtp`, or a peer's own `srtp`): Gatehouse terminates SRTP on each leg with its
/// own keys (SDES) or its own certificate (DTLS-SRTP), so this decides only what the leg's SDP says, how its keys
/// are agreed, and which crypto suites it takes.
public struct SRTPPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// Plain RTP only; an SRTP-only offer from the leg is refused (488).
        case off
        /// SRTP when the leg offers it, or (toward the leg) when the other leg's offer was SRTP.
        case optional
        /// SRTP only: Gatehouse offers `RTP/SAVP` with its keys; a plain offer from the leg is refused (488).
        case required
    }

    /// How a leg's keys are agreed: SDES (`a=crypto` in the SDP) or DTLS-SRTP (a handshake on the media port).
    public enum KeyExchange: String, Sendable, Hashable, CaseIterable {
        case sdes
        case dtls
    }

    /// The suites Gatehouse terminates, by their `a=crypto` names (RFC 4568 §6.2, RFC 7714 §14.2).
    public static let knownSuites = ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32", "AEAD_AES_128_GCM"]

    /// Default `off`.
    public var mode: Mode
    /// The suites taken and offered, in order of preference; nil for Gatehouse's default (all of `knownSuites`,
    /// in that order).
    public var suites: [String]?
    /// The key exchanges taken from the leg, in order of preference; Gatehouse offers with the first. Default
    /// `[sdes, dtls]`: SDES offered, either taken. Never empty.
    public var keyExchanges: [KeyExchange]

    public init(mode: Mode = .off, suites: [String]? = nil, keyExchanges: [KeyExchange] = [.sdes, .dtls]) {
        self.mode = mode
        self.suites = suites
        self.keyExchanges = keyExchanges.isEmpty ? [.sdes, .dtls] : keyExchanges
    }
}
