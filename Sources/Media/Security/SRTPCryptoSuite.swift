import CSRTP
import SDP

/// The SDES crypto suites Gatehouse terminates with libsrtp: the two AES counter-mode suites of RFC 4568 §6.2 and
/// AES-GCM from RFC 7714 §14.2. Each knows its master key and salt lengths and sets the matching libsrtp policy.
public enum SRTPCryptoSuite: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case aesCM128HMACSHA1Tag80 = "AES_CM_128_HMAC_SHA1_80"
    case aesCM128HMACSHA1Tag32 = "AES_CM_128_HMAC_SHA1_32"
    case aeadAES128GCM = "AEAD_AES_128_GCM"

    /// What Gatehouse offers, in this order, when the policy names no suites: the RFC 4568 default first, the
    /// short tag (what many handsets prefer to save bandwidth) next, and AES-GCM last (the newest, least common).
    public static let defaultPreference: [SRTPCryptoSuite] = [
        .aesCM128HMACSHA1Tag80, .aesCM128HMACSHA1Tag32, .aeadAES128GCM,
    ]

    public var description: String { rawValue }

    /// The suite's name in `a=crypto`.
    public var sdpName: CryptoSuite { CryptoSuite(rawValue: rawValue) }

    /// The suite an `a=crypto` line names, when Gatehouse can terminate it.
    public init?(_ suite: CryptoSuite) {
        self.init(rawValue: suite.rawValue.uppercased())
    }

    /// Master key bytes: 128 bits for all three.
    public var keyLength: Int { 16 }

    /// Master salt bytes: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for AES-GCM (RFC 7714 §12).
    public var saltLength: Int {
        switch self {
        case .aesCM128HMACSHA1Tag80, .aesCM128HMACSHA1Tag32: 14
        case .aeadAES128GCM: 12
        }
    }

    /// The inline key's length: master key followed by master salt (RFC 4568 §6.1).
    public var keySaltLength: Int { keyLength + saltLength }

    /// Sets libsrtp's RTP and RTCP policies for the suite. SRTCP keeps the 80-bit tag for the `_32` suite, as
    /// RFC 4568 §6.2.2 requires (the short tag is for SRTP only).
    func configure(rtp: inout srtp_crypto_policy_t, rtcp: inout srtp_crypto_policy_t) {
        switch self {
        case .aesCM128HMACSHA1Tag80:
            gh_srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&rtp)
            srtp_crypto_policy_set_rtcp_default(&rtcp)
        case .aesCM128HMACSHA1Tag32:
            srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&rtp)
            srtp_crypto_policy_set_rtcp_default(&rtcp)
        case .aeadAES128GCM:
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtp)
            srtp_crypto_policy_set_aes_gcm_128_16_auth(&rtcp)
        }
    }
}
