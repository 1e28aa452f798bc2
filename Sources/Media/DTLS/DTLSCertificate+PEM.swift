import COpenSSL
import Foundation

extension DTLSCertificate {
    /// The certificate and its key from PEM text; the key must belong to the certificate.
    public convenience init(certificatePEM: [UInt8], privateKeyPEM: [UInt8]) throws(DTLSError) {
        guard let certificate = Self.readPEM(certificatePEM, { PEM_read_bio_X509($0, nil, nil, nil) }) else {
            throw DTLSError(.certificateInvalid, OpenSSLErrorQueue.drain(or: "no PEM certificate"))
        }
        guard let key = Self.readPEM(privateKeyPEM, { PEM_read_bio_PrivateKey($0, nil, nil, nil) }) else {
            X509_free(certificate)
            throw DTLSError(.certificateInvalid, OpenSSLErrorQueue.drain(or: "no PEM private key"))
        }
        try self.init(key: key, certificate: certificate)
    }

    /// The certificate as PEM (`-----BEGIN CERTIFICATE-----`).
    public var certificatePEM: [UInt8] {
        Self.writePEM { PEM_write_bio_X509($0, certificate) }
    }

    /// The private key as unencrypted PKCS #8 PEM: protect it with file permissions (`loadOrCreate` writes 0600).
    public var privateKeyPEM: [UInt8] {
        Self.writePEM { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    private static func readPEM(_ pem: [UInt8], _ read: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        pem.withUnsafeBytes { bytes -> OpaquePointer? in
            guard let base = bytes.baseAddress, let bio = BIO_new_mem_buf(base, Int32(bytes.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            return read(bio)
        }
    }

    /// What `write` puts into a memory BIO; empty if it fails (it cannot for an in-memory key and certificate).
    private static func writePEM(_ write: (OpaquePointer) -> Int32) -> [UInt8] {
        guard let bio = BIO_new(BIO_s_mem()) else { return [] }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else {
            OpenSSLErrorQueue.clear()
            return []
        }
        var pem = [UInt8](repeating: 0, count: Int(BIO_ctrl_pending(bio)))
        let read = BIO_read(bio, &pem, Int32(pem.count))
        return Array(pem.prefix(max(0, Int(read))))
    }
}
