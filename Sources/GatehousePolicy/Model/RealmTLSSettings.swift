/// A realm's TLS server settings, required when the realm has a `tls://` listener.
///
/// Paths are kept as written: the loader is pure and reads no files. The node checks that they exist, and that the
/// certificate and key belong together, when it starts.
public struct RealmTLSSettings: Sendable, Hashable {
    /// The PEM certificate chain the realm presents, leaf first.
    public var certificate: String
    /// The PEM private key of the certificate.
    public var key: String
    /// A PEM bundle of the CAs whose client certificates are accepted; nil accepts none.
    public var clientCAs: String?
    /// Whether a TLS client must present a certificate signed by `clientCAs` (mutual TLS). Default false.
    public var requireClientCertificate: Bool

    public init(certificate: String, key: String, clientCAs: String? = nil, requireClientCertificate: Bool = false) {
        self.certificate = certificate
        self.key = key
        self.clientCAs = clientCAs
        self.requireClientCertificate = requireClientCertificate
    }
}
