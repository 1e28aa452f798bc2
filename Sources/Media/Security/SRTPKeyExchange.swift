/// How a leg's SRTP keys are agreed: in the SDP (`a=crypto`, RFC 4568) or by a DTLS handshake on the media port
/// (`a=fingerprint`/`a=setup`, RFC 5763/5764).
public enum SRTPKeyExchange: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SDES: `RTP/SAVP` with `a=crypto` lines.
    case sdes
    /// DTLS-SRTP: `UDP/TLS/RTP/SAVP` with Gatehouse's certificate fingerprint.
    case dtls

    public var description: String { rawValue }
}
