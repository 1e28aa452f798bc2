/// The DTLS-SRTP protection profiles Gatehouse offers (RFC 5764 §4.1.2, RFC 7714 §14.2), with the master key and
/// salt lengths each exports.
///
/// Deliberately a small enum of our own: the SRTP layer maps it onto its crypto suite, and nothing here depends
/// on libsrtp.
public enum DTLSSRTPProfile: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `SRTP_AES128_CM_HMAC_SHA1_80` (0x0001): the SDES suite `AES_CM_128_HMAC_SHA1_80`.
    case aes128CMSHA1Tag80
    /// `SRTP_AES128_CM_HMAC_SHA1_32` (0x0002): `AES_CM_128_HMAC_SHA1_32`.
    case aes128CMSHA1Tag32
    /// `SRTP_AEAD_AES_128_GCM` (0x0007): `AEAD_AES_128_GCM`.
    case aeadAES128GCM

    /// The profile's identifier in the use_srtp extension.
    public var identifier: UInt16 {
        switch self {
        case .aes128CMSHA1Tag80: 0x0001
        case .aes128CMSHA1Tag32: 0x0002
        case .aeadAES128GCM: 0x0007
        }
    }

    public init?(identifier: UInt16) {
        guard let profile = Self.allCases.first(where: { $0.identifier == identifier }) else { return nil }
        self = profile
    }

    /// OpenSSL's name, as `SSL_CTX_set_tlsext_use_srtp` takes it.
    public var openSSLName: String {
        switch self {
        case .aes128CMSHA1Tag80: "SRTP_AES128_CM_SHA1_80"
        case .aes128CMSHA1Tag32: "SRTP_AES128_CM_SHA1_32"
        case .aeadAES128GCM: "SRTP_AEAD_AES_128_GCM"
        }
    }

    /// Master key length in bytes.
    public var keyLength: Int { 16 }

    /// Master salt length in bytes: 112 bits for AES-CM (RFC 3711 §8.2), 96 for AES-GCM (RFC 7714 §12).
    public var saltLength: Int {
        switch self {
        case .aes128CMSHA1Tag80, .aes128CMSHA1Tag32: 14
        case .aeadAES128GCM: 12
        }
    }

    public var description: String { openSSLName }
}
