import CSRTP
import Testing

/// libsrtp2 really protects and authenticates: a sender and a receiver session share one
/// AES_CM_128_HMAC_SHA1_80 master key (30 bytes: 16 key + 14 salt).
@Suite("libsrtp2", .serialized)
struct SRTPLibraryTests {
    static let masterKey: [UInt8] = (0..<30).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    static let ssrc: UInt32 = 0xDEAD_BEEF

    /// 12-byte RTP header (V=2, PT=0 PCMU, seq 4660, ts 160, SSRC) and 160 bytes of payload.
    static func rtpPacket() -> [UInt8] {
        var packet: [UInt8] = [0x80, 0x00, 0x12, 0x34, 0x00, 0x00, 0x00, 0xA0]
        packet += withUnsafeBytes(of: ssrc.bigEndian) { Array($0) }
        packet += (0..<160).map { UInt8(truncatingIfNeeded: $0) }
        return packet
    }

    /// Creates a session whose SSRC matching is "any outbound" (sender) or "any inbound" (receiver).
    static func makeSession(outbound: Bool) throws -> srtp_t {
        var key = masterKey
        var policy = srtp_policy_t()
        srtp_crypto_policy_set_rtp_default(&policy.rtp)
        srtp_crypto_policy_set_rtcp_default(&policy.rtcp)
        policy.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound
        policy.window_size = 128
        policy.allow_repeat_tx = 0
        policy.next = nil
        var session: srtp_t?
        let status = key.withUnsafeMutableBufferPointer { keyBuffer in
            policy.key = keyBuffer.baseAddress
            return srtp_create(&session, &policy)
        }
        try #require(status == srtp_err_status_ok, "srtp_create failed: \(status.rawValue)")
        return try #require(session)
    }

    /// Protects one packet on a fresh sender; returns the SRTP bytes.
    static func protectedPacket(_ plain: [UInt8]) throws -> [UInt8] {
        let sender = try makeSession(outbound: true)
        defer { srtp_dealloc(sender) }
        var buffer = plain + [UInt8](repeating: 0, count: Int(SRTP_MAX_TRAILER_LEN))
        var length = Int32(plain.count)
        let status = buffer.withUnsafeMutableBytes { srtp_protect(sender, $0.baseAddress, &length) }
        try #require(status == srtp_err_status_ok, "srtp_protect failed: \(status.rawValue)")
        return Array(buffer[0..<Int(length)])
    }

    /// Unprotects on a fresh receiver; returns the status and the resulting bytes.
    static func unprotect(_ srtp: [UInt8]) throws -> (srtp_err_status_t, [UInt8]) {
        let receiver = try makeSession(outbound: false)
        defer { srtp_dealloc(receiver) }
        var buffer = srtp
        var length = Int32(srtp.count)
        let status = buffer.withUnsafeMutableBytes { srtp_unprotect(receiver, $0.baseAddress, &length) }
        return (status, Array(buffer[0..<Int(length)]))
    }

    /// srtp_init is NOT idempotent: a second call fails with srtp_err_status_bad_param (the ciphers are
    /// already registered). Call it once per process (a lazy static let runs exactly once). The Media module
    /// initialises the library too, and the test targets share one process, so whichever runs second sees
    /// bad_param: the library is initialised either way.
    static let initStatus: srtp_err_status_t = srtp_init()

    init() throws {
        try #require(Self.initStatus == srtp_err_status_ok || Self.initStatus == srtp_err_status_bad_param)
    }

    @Test("protect adds the 10-byte HMAC-SHA1-80 tag, unprotect restores the packet")
    func roundTrip() throws {
        let plain = Self.rtpPacket()
        #expect(plain.count == 172)
        let protected = try Self.protectedPacket(plain)
        #expect(protected.count == 172 + 10)
        #expect(Array(protected[0..<12]) == Array(plain[0..<12]), "the RTP header stays in clear")
        #expect(Array(protected[12..<172]) != Array(plain[12..<172]), "the payload is encrypted")

        let (status, restored) = try Self.unprotect(protected)
        #expect(status == srtp_err_status_ok)
        #expect(restored == plain)
    }

    @Test("a tampered byte fails authentication")
    func tamperedPacketFailsAuth() throws {
        var protected = try Self.protectedPacket(Self.rtpPacket())
        protected[100] ^= 0x01
        let (status, _) = try Self.unprotect(protected)
        #expect(status == srtp_err_status_auth_fail)
    }

    @Test("the shim's SHA1_80 alias sets the same policy as the RTP default")
    func shimAlias() {
        var viaDefault = srtp_crypto_policy_t()
        var viaShim = srtp_crypto_policy_t()
        srtp_crypto_policy_set_rtp_default(&viaDefault)
        gh_srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&viaShim)
        #expect(viaShim.cipher_type == viaDefault.cipher_type)
        #expect(viaShim.auth_tag_len == 10)
        #expect(viaShim.cipher_key_len == 30)
    }
}
