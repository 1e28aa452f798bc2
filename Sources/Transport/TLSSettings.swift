import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The certificate, key and client-certificate policy of a `tls://` listener (a realm's TLS side).
///
/// Files are PEM. Loading happens when the listeners are bound; an unreadable or unparsable file fails the bind
/// with `TransportError.Code.tlsFile` naming it. The protocol floor is TLS 1.2 (RFC 8996, RFC 5630 §3).
public struct TLSSettings: Sendable, Hashable {
    /// The server certificate followed by any intermediates.
    public var certificateChainFile: String
    /// The private key of the first certificate in the chain.
    public var privateKeyFile: String
    /// CA certificates that client certificates must chain to. Also trusted, besides `TLSClientSettings`, for the
    /// servers this realm connects to. Nil: clients are not asked for certificates unless required (then the
    /// system's trust store applies).
    public var trustedCAFile: String?
    /// Ask every client for a certificate and refuse the handshake without a valid one (mutual TLS, as carrier
    /// interconnects use). Default false: a presented certificate is still verified when `trustedCAFile` is set.
    public var requireClientCertificate: Bool

    public init(
        certificateChainFile: String, privateKeyFile: String, trustedCAFile: String? = nil,
        requireClientCertificate: Bool = false
    ) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.trustedCAFile = trustedCAFile
        self.requireClientCertificate = requireClientCertificate
    }

    /// The server context for a listener.
    func makeServerContext() throws -> NIOSSLContext {
        let chain = try TLSFiles.certificates(certificateChainFile, role: "certificate chain")
        let key = try TLSFiles.privateKey(privateKeyFile)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if let trustedCAFile {
            configuration.trustRoots = .certificates(try TLSFiles.certificates(trustedCAFile, role: "trusted CA"))
            configuration.sendCANameList = true
        }
        if requireClientCertificate {
            configuration.certificateVerification = .noHostnameVerification
        } else if trustedCAFile != nil {
            configuration.certificateVerification = .optionalVerification
        } else {
            configuration.certificateVerification = .none
        }
        return try TLSFiles.context(configuration, files: [certificateChainFile, privateKeyFile])
    }
}

/// How outbound TLS connections verify the servers they reach.
public struct TLSClientSettings: Sendable, Hashable {
    /// CA certificates (PEM) trusted for servers. Nil: the system's trust store.
    public var trustRootsFile: String?
    /// Check the server certificate against the target's name (or IP address when the target is a literal).
    /// Default true; turn off only for lab peers with certificates for other names.
    public var verifyHostname: Bool

    public init(trustRootsFile: String? = nil, verifyHostname: Bool = true) {
        self.trustRootsFile = trustRootsFile
        self.verifyHostname = verifyHostname
    }

    /// The client context for connections from a realm: it presents the realm listener's certificate (when the
    /// realm has TLS settings) and trusts `trustRootsFile` plus the realm's `trustedCAFile`.
    func makeClientContext(presenting realm: TLSSettings?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = verifyHostname ? .fullVerification : .noHostnameVerification
        var roots: [NIOSSLCertificate] = []
        if let trustRootsFile { roots += try TLSFiles.certificates(trustRootsFile, role: "trust roots") }
        if let ca = realm?.trustedCAFile { roots += try TLSFiles.certificates(ca, role: "trusted CA") }
        if !roots.isEmpty { configuration.trustRoots = .certificates(roots) }
        var files: [String] = []
        if let realm {
            let chain = try TLSFiles.certificates(realm.certificateChainFile, role: "certificate chain")
            configuration.certificateChain = chain.map { .certificate($0) }
            configuration.privateKey = .privateKey(try TLSFiles.privateKey(realm.privateKeyFile))
            files = [realm.certificateChainFile, realm.privateKeyFile]
        }
        return try TLSFiles.context(configuration, files: files)
    }
}

/// PEM loading with errors that name the file.
enum TLSFiles {
    static func certificates(_ path: String, role: String) throws -> [NIOSSLCertificate] {
        try readable(path, role: role)
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw TransportError(.tlsFile, "cannot load \(role) file \(path): \(error)")
        }
        guard !certificates.isEmpty else {
            throw TransportError(.tlsFile, "\(role) file \(path) holds no PEM certificate")
        }
        return certificates
    }

    static func privateKey(_ path: String) throws -> NIOSSLPrivateKey {
        try readable(path, role: "private key")
        do {
            return try NIOSSLPrivateKey(file: path, format: .pem)
        } catch {
            throw TransportError(.tlsFile, "cannot load private key file \(path): \(error)")
        }
    }

    static func context(_ configuration: TLSConfiguration, files: [String]) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            let named = files.isEmpty ? "" : " (\(files.joined(separator: ", ")))"
            throw TransportError(.tlsContext, "cannot make a TLS context\(named): \(error)")
        }
    }

    private static func readable(_ path: String, role: String) throws {
        guard access(path, R_OK) == 0 else {
            throw TransportError(.tlsFile, "\(role) file \(path) does not exist or is not readable")
        }
    }
}
