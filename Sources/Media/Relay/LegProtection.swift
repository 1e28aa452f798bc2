import NIOCore

/// What a leg does to packets on their way in and out: nothing (plain RTP), SDES-SRTP through libsrtp, or
/// DTLS-SRTP (libsrtp with the keys of the leg's DTLS association, once it is connected; before, nothing passes).
///
/// `unprotect` runs on the leg a packet arrived from, `protect` on the leg it leaves on, each in place on the
/// datagram's buffer. An enum rather than a protocol, so the relay's hot path stays a switch.
public enum LegProtection: Sendable {
    case plain
    case srtp(SRTPLegContexts)
    case dtls(DTLSLeg)

    /// Whether packets must be copied into a buffer of the relay's own before crossing (a received datagram is a
    /// slice of NIO's shared read buffer, which an in-place change would copy).
    var transformsPackets: Bool {
        switch self {
        case .plain: false
        case .srtp, .dtls: true
        }
    }

    /// Turns a received datagram into plain RTP/RTCP; anything but `.ok` drops it (an authentication failure, a
    /// replay). `original` is the datagram as received, for a second try with the key before a re-key.
    func unprotect(_ buffer: inout ByteBuffer, original: ByteBuffer, isRTCP: Bool) -> SRTPResult {
        switch self {
        case .plain:
            return .ok
        case .srtp(let contexts):
            let result = contexts.inbound.unprotect(&buffer, isRTCP: isRTCP)
            guard result == .authenticationFailure, let previous = contexts.previousInbound else { return result }
            // Packets the far end protected before it re-keyed may still be on their way; the failed attempt
            // may have changed the buffer (AES-GCM decrypts before it checks), so start again from the original.
            buffer.clear()
            buffer.writeImmutableBuffer(original)
            return previous.unprotect(&buffer, isRTCP: isRTCP)
        case .dtls(let leg):
            // Not keyed yet (or never): SRTP cannot be checked, so it is dropped. SRTCP without rtcp-mux is
            // keyed by the RTCP port's own association (RFC 5764 §4.1).
            guard let contexts = (isRTCP ? leg.rtcp ?? leg : leg).contexts else { return .failure }
            return contexts.inbound.unprotect(&buffer, isRTCP: isRTCP)
        }
    }

    /// Turns plain RTP/RTCP into what the leg expects on the wire; anything but `.ok` drops it.
    func protect(_ buffer: inout ByteBuffer, isRTCP: Bool) -> SRTPResult {
        switch self {
        case .plain: .ok
        case .srtp(let contexts): contexts.outbound.protect(&buffer, isRTCP: isRTCP)
        case .dtls(let leg):
            (isRTCP ? leg.rtcp ?? leg : leg).contexts?.outbound.protect(&buffer, isRTCP: isRTCP) ?? .failure
        }
    }
}

/// One leg's libsrtp sessions: `inbound` with the far end's key, `outbound` with Gatehouse's, and the inbound
/// session of the key before the last re-key (RFC 4568 §7.1.4: a re-INVITE with a new key), tried when the
/// current one fails so that packets in flight across the change are not lost.
public final class SRTPLegContexts: Sendable {
    public let keying: SRTPKeying
    let inbound: SRTPContext
    let outbound: SRTPContext
    let previousInbound: SRTPContext?

    /// Contexts for `keying`; a session whose key did not change is kept from `current` (its rollover counters
    /// and replay windows with it).
    public init(_ keying: SRTPKeying, replacing current: SRTPLegContexts? = nil) throws(SRTPError) {
        self.keying = keying
        if let current, current.keying.remote == keying.remote {
            inbound = current.inbound
            previousInbound = current.previousInbound
        } else {
            inbound = try SRTPContext(key: keying.remote, direction: .inbound)
            previousInbound = current?.inbound
        }
        if let current, current.keying.local == keying.local {
            outbound = current.outbound
        } else {
            outbound = try SRTPContext(key: keying.local, direction: .outbound)
        }
    }
}
