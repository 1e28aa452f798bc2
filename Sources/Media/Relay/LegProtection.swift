import NIOCore

/// What a leg does to packets on their way in and out: nothing yet (plain RTP on both legs).
///
/// This is where SRTP (SDES or DTLS-SRTP, through libsrtp) goes: `unprotect` on the leg a packet arrived from,
/// `protect` on the leg it leaves on, each in place on the datagram's buffer. An enum rather than a protocol, so the
/// relay's hot path stays a switch.
public enum LegProtection: Sendable {
    case plain

    /// Turns a received datagram into plain RTP/RTCP; false drops it (an authentication failure, a replay).
    func unprotect(_ buffer: inout ByteBuffer, isRTCP: Bool) -> Bool {
        switch self {
        case .plain: true
        }
    }

    /// Turns plain RTP/RTCP into what the leg expects on the wire; false drops it.
    func protect(_ buffer: inout ByteBuffer, isRTCP: Bool) -> Bool {
        switch self {
        case .plain: true
        }
    }
}
