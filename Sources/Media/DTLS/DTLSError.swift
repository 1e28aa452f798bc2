/// Why a DTLS certificate could not be made or loaded, or why an association failed.
///
/// One error for the DTLS edge, in the shape of STYLE rule 4: `code` is what tests and counters key on, `detail`
/// carries OpenSSL's own error text for the log line. Codes are static lets, so adding one never breaks a caller.
public struct DTLSError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}

extension DTLSError.Code {
    // Certificates
    /// OpenSSL could not generate the key or build and sign the certificate.
    public static let certificateGeneration = Self(rawValue: "dtls-certificate-generation")
    /// A certificate or key file could not be read, written or renamed.
    public static let certificateFile = Self(rawValue: "dtls-certificate-file")
    /// A certificate or key is not valid PEM, or the key does not belong to the certificate.
    public static let certificateInvalid = Self(rawValue: "dtls-certificate-invalid")

    // Associations
    /// OpenSSL refused part of the context or session setup (profiles, MTU, certificate).
    public static let setup = Self(rawValue: "dtls-setup")
    /// The remote SDP offers fingerprints, but none with a known hash function and a digest of its length.
    public static let noUsableFingerprint = Self(rawValue: "dtls-no-usable-fingerprint")
    /// The handshake failed (an alert, a protocol error); the detail has OpenSSL's reason.
    public static let handshakeFailed = Self(rawValue: "dtls-handshake-failed")
    /// The retransmission limit was reached without an answer from the peer.
    public static let timedOut = Self(rawValue: "dtls-timed-out")
    /// The peer's certificate does not match the fingerprint in its SDP (RFC 5763 §5).
    public static let fingerprintMismatch = Self(rawValue: "dtls-fingerprint-mismatch")
    /// The handshake finished without the use_srtp extension agreeing on a profile (RFC 5764 §4.1.1).
    public static let noSRTPProfile = Self(rawValue: "dtls-no-srtp-profile")
    /// `SSL_export_keying_material` failed.
    public static let keyExport = Self(rawValue: "dtls-key-export")
}
