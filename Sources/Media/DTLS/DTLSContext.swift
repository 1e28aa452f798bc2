import COpenSSL

/// One `SSL_CTX` for a node's DTLS-SRTP associations: DTLS 1.2 only, the node's certificate, the use_srtp
/// profiles, and a peer-certificate check that defers to the SDP fingerprint.
///
/// Made once (per certificate and configuration) and shared: creating an `SSL_CTX` costs far more than an `SSL`,
/// and OpenSSL allows `SSL_new` on one context from any thread once it is set up.
public final class DTLSContext: @unchecked Sendable {
    /// `SSL_CTX *`, owned.
    let context: OpaquePointer
    public let certificate: DTLSCertificate
    public let configuration: DTLSConfiguration
    /// The key of the HelloVerifyRequest cookies (`DTLSCookie`), random per context.
    let cookieSecret = DTLSCookie.makeSecret()

    public init(certificate: DTLSCertificate, configuration: DTLSConfiguration = DTLSConfiguration()) throws(DTLSError)
    {
        guard let context = SSL_CTX_new(DTLS_method()) else {
            throw DTLSError(.setup, OpenSSLErrorQueue.drain(or: "SSL_CTX_new failed"))
        }
        self.context = context
        self.certificate = certificate
        self.configuration = configuration
        guard !configuration.profiles.isEmpty else { throw DTLSError(.setup, "no SRTP profile configured") }
        let profiles = configuration.profiles.map(\.openSSLName).joined(separator: ":")
        guard gh_SSL_CTX_set_min_proto_version(context, Int(DTLS1_2_VERSION)) == 1,
            gh_SSL_CTX_set_max_proto_version(context, Int(DTLS1_2_VERSION)) == 1,
            SSL_CTX_use_certificate(context, certificate.certificate) == 1,
            SSL_CTX_use_PrivateKey(context, certificate.key) == 1,
            SSL_CTX_check_private_key(context) == 1,
            // 0 is success for this one (NOTES-SWIFT).
            SSL_CTX_set_tlsext_use_srtp(context, profiles) == 0
        else { throw DTLSError(.setup, OpenSSLErrorQueue.drain(or: "cannot configure the DTLS context")) }
        _ = SSL_CTX_set_options(
            context,
            gh_SSL_OP_NO_QUERY_MTU() | gh_SSL_OP_NO_TICKET() | gh_SSL_OP_NO_COMPRESSION()
                | gh_SSL_OP_NO_RENEGOTIATION() | gh_SSL_OP_CIPHER_SERVER_PREFERENCE())
        // RFC 5763 §5: both sides present a certificate (the server asks for the client's), and it is trusted by
        // its fingerprint in the SDP, not by a CA (see `fingerprintVerifyCallback`).
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, fingerprintVerifyCallback)
        // RFC 6347 §4.2.1: as a server, a ClientHello is answered with a HelloVerifyRequest until it carries the
        // cookie for its source address (the client side ignores the option).
        if configuration.cookieExchange {
            _ = SSL_CTX_set_options(context, gh_SSL_OP_COOKIE_EXCHANGE())
            SSL_CTX_set_cookie_generate_cb(context, cookieGenerateCallback)
            SSL_CTX_set_cookie_verify_cb(context, cookieVerifyCallback)
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}
