import CSRTP
import NIOCore

/// One libsrtp session (`srtp_t`) for one direction of one leg: `inbound` unprotects what the leg's far end sends,
/// with the far end's key; `outbound` protects what Gatehouse sends there, with Gatehouse's own key. SRTP and
/// SRTCP share the session (RFC 3711 §3.2: one master key for both); any SSRC is accepted, each getting its own
/// rollover counter and replay window inside libsrtp.
///
/// Packets are transformed in place on the `ByteBuffer`'s storage, so the relay allocates nothing per packet;
/// `protect` needs `trailerRoom` writable bytes after the packet. The class is `@unchecked Sendable` because it is
/// made on the engine's side and then used by its stream's event loop only, never by two threads at once.
public final class SRTPContext: @unchecked Sendable {
    public enum Direction: Sendable, Hashable {
        /// Unprotects (checks and decrypts) what arrives.
        case inbound
        /// Protects (encrypts and signs) what leaves.
        case outbound
    }

    /// Bytes `protect` may write after the packet: libsrtp assumes `SRTP_MAX_TRAILER_LEN` for SRTP (tag and MKI),
    /// and SRTCP adds its 4-byte index (RFC 3711 §3.4).
    public static let trailerRoom = Int(SRTP_MAX_TRAILER_LEN) + 4

    /// The packets of the default replay window (RFC 3711 §3.3.2 requires at least 64).
    public static let replayWindow: UInt = 128

    public let key: SRTPMasterKey
    public let direction: Direction
    private let session: srtp_t

    public init(key: SRTPMasterKey, direction: Direction) throws(SRTPError) {
        try SRTPLibrary.ensureInitialized()
        var policy = srtp_policy_t()
        key.suite.configure(rtp: &policy.rtp, rtcp: &policy.rtcp)
        policy.ssrc.type = direction == .inbound ? ssrc_any_inbound : ssrc_any_outbound
        policy.window_size = Self.replayWindow
        // A repeated sequence number on the way out would reuse keystream (RFC 3711 §9.1): refused, not sent.
        policy.allow_repeat_tx = 0
        policy.next = nil
        var keySalt = key.keySalt
        var created: srtp_t?
        let status = keySalt.withUnsafeMutableBufferPointer { bytes in
            policy.key = bytes.baseAddress
            return srtp_create(&created, &policy)
        }
        guard status == srtp_err_status_ok, let created else {
            throw SRTPError(.contextRefused, detail: "srtp_create(\(key.suite)) failed with status \(status.rawValue)")
        }
        self.key = key
        self.direction = direction
        self.session = created
    }

    deinit {
        srtp_dealloc(session)
    }

    /// Encrypts and signs the readable bytes (RTP, or RTCP when `isRTCP`); `.failure` when the buffer has no room
    /// for the trailer or libsrtp refuses (a repeated sequence number).
    public func protect(_ buffer: inout ByteBuffer, isRTCP: Bool) -> SRTPResult {
        guard buffer.writableBytes >= Self.trailerRoom else { return .failure }
        return transform(&buffer) { session, packet, length in
            isRTCP ? srtp_protect_rtcp(session, packet, length) : srtp_protect(session, packet, length)
        }
    }

    /// Checks and decrypts the readable bytes in place, leaving plain RTP/RTCP.
    public func unprotect(_ buffer: inout ByteBuffer, isRTCP: Bool) -> SRTPResult {
        transform(&buffer) { session, packet, length in
            isRTCP ? srtp_unprotect_rtcp(session, packet, length) : srtp_unprotect(session, packet, length)
        }
    }

    private func transform(
        _ buffer: inout ByteBuffer,
        _ operation: (srtp_t, UnsafeMutableRawPointer, UnsafeMutablePointer<Int32>) -> srtp_err_status_t
    ) -> SRTPResult {
        let start = buffer.readerIndex
        var length = Int32(buffer.readableBytes)
        let session = self.session
        let status = buffer.withVeryUnsafeMutableBytes { storage -> srtp_err_status_t in
            guard let base = storage.baseAddress else { return srtp_err_status_bad_param }
            return operation(session, base + start, &length)
        }
        guard status == srtp_err_status_ok else { return SRTPResult(status) }
        buffer.moveWriterIndex(to: start + Int(length))
        return .ok
    }
}

/// What `protect` or `unprotect` made of a packet. Authentication failures and replays are told apart so that
/// they are counted apart (a replay is an attack or a duplicating network; a failed tag is a wrong key or
/// tampering).
public enum SRTPResult: Sendable, Hashable {
    case ok
    /// The authentication tag did not match (RFC 3711 §3.3 step 5).
    case authenticationFailure
    /// The index was seen already or is older than the replay window (RFC 3711 §3.3.2).
    case replay
    /// Anything else libsrtp refuses: a malformed header, no room for the trailer.
    case failure

    init(_ status: srtp_err_status_t) {
        switch status {
        case srtp_err_status_ok: self = .ok
        case srtp_err_status_auth_fail: self = .authenticationFailure
        case srtp_err_status_replay_fail, srtp_err_status_replay_old: self = .replay
        default: self = .failure
        }
    }
}
