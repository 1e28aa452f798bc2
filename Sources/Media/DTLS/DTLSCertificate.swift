import COpenSSL
import Foundation
import SDP

/// A node's DTLS identity: an EC P-256 key and a self-signed X.509 certificate over it.
///
/// DTLS-SRTP does not trust certificates through a CA: each side states the hash of its certificate in its SDP
/// (`a=fingerprint`, RFC 5763 §5) and the peer checks the certificate it receives against that. So a self-signed
/// certificate is all a node needs, and one serves every call. Immutable once made, so one instance is shared by
/// all event loops (OpenSSL reference-counts the key and certificate each session takes).
public final class DTLSCertificate: @unchecked Sendable {
    /// `EVP_PKEY *`, owned.
    let key: OpaquePointer
    /// `X509 *`, owned.
    let certificate: OpaquePointer
    /// The SHA-256 fingerprint, as this node writes it in `a=fingerprint`.
    public let fingerprint: Fingerprint

    /// Takes ownership of both pointers (freed in `deinit`), also when it throws.
    init(key: OpaquePointer, certificate: OpaquePointer) throws(DTLSError) {
        self.key = key
        self.certificate = certificate
        guard X509_check_private_key(certificate, key) == 1 else {
            let detail = OpenSSLErrorQueue.drain(or: "the key does not belong to the certificate")
            fingerprint = Fingerprint(hashFunction: "sha-256", value: "")
            throw DTLSError(.certificateInvalid, detail)
        }
        guard let digest = Self.digest(of: certificate, .sha256) else {
            fingerprint = Fingerprint(hashFunction: "sha-256", value: "")
            throw DTLSError(.certificateInvalid, OpenSSLErrorQueue.drain(or: "cannot hash the certificate"))
        }
        fingerprint = Fingerprint(hashFunction: FingerprintHashAlgorithm.sha256.rawValue, digest: digest)
    }

    deinit {
        X509_free(certificate)
        EVP_PKEY_free(key)
    }

    /// A new P-256 key and a self-signed certificate for it, valid from a day before `now` (a peer whose clock is
    /// a little behind still accepts it) for `validity`.
    public static func generate(
        commonName: String = "gatehouse", validity: Duration = .seconds(365 * 86_400), now: Date = Date()
    ) throws(DTLSError) -> DTLSCertificate {
        guard let key = gh_EVP_EC_gen("prime256v1") else {
            throw DTLSError(.certificateGeneration, OpenSSLErrorQueue.drain(or: "EC key generation failed"))
        }
        guard let certificate = X509_new() else {
            EVP_PKEY_free(key)
            throw DTLSError(.certificateGeneration, OpenSSLErrorQueue.drain(or: "X509_new failed"))
        }
        guard fill(certificate, key: key, commonName: commonName, validity: validity, now: now) else {
            X509_free(certificate)
            EVP_PKEY_free(key)
            throw DTLSError(.certificateGeneration, OpenSSLErrorQueue.drain(or: "cannot build the certificate"))
        }
        return try DTLSCertificate(key: key, certificate: certificate)
    }

    /// Version 3, a random positive 64-bit serial, subject = issuer = CN, the validity window, signed with
    /// ECDSA-SHA256. False when any OpenSSL step fails.
    private static func fill(
        _ certificate: OpaquePointer, key: OpaquePointer, commonName: String, validity: Duration, now: Date
    ) -> Bool {
        var serialBytes = [UInt8](repeating: 0, count: 8)
        guard RAND_bytes(&serialBytes, Int32(serialBytes.count)) == 1 else { return false }
        serialBytes[0] &= 0x7F
        guard let serial = BN_bin2bn(serialBytes, Int32(serialBytes.count), nil) else { return false }
        defer { BN_free(serial) }
        let start = time_t(now.timeIntervalSince1970) - 86_400
        let end = time_t(now.timeIntervalSince1970) + time_t(validity.components.seconds)
        guard X509_set_version(certificate, 2) == 1,
            BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate)) != nil,
            ASN1_TIME_set(X509_getm_notBefore(certificate), start) != nil,
            ASN1_TIME_set(X509_getm_notAfter(certificate), end) != nil,
            let name = X509_get_subject_name(certificate),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
            X509_set_issuer_name(certificate, name) == 1,
            X509_set_pubkey(certificate, key) == 1,
            X509_sign(certificate, key, EVP_sha256()) > 0
        else { return false }
        return true
    }

    /// Whether the certificate's notAfter lies before `date`.
    public func hasExpired(at date: Date) -> Bool {
        var time = time_t(date.timeIntervalSince1970)
        // -1: notAfter is earlier than `time`; 0 means OpenSSL could not compare, which we treat as expired too.
        return X509_cmp_time(X509_get0_notAfter(certificate), &time) <= 0
    }

    /// The digest of `certificate`'s DER encoding with `algorithm`; nil for MD2 (OpenSSL 3 has none) or on failure.
    static func digest(of certificate: OpaquePointer, _ algorithm: FingerprintHashAlgorithm) -> [UInt8]? {
        let md: OpaquePointer?
        switch algorithm {
        case .md2: return nil
        case .md5: md = EVP_md5()
        case .sha1: md = EVP_sha1()
        case .sha224: md = EVP_sha224()
        case .sha256: md = EVP_sha256()
        case .sha384: md = EVP_sha384()
        case .sha512: md = EVP_sha512()
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard let md, X509_digest(certificate, md, &digest, &length) == 1 else { return nil }
        return Array(digest.prefix(Int(length)))
    }
}
