import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension DTLSCertificate {
    /// File names in the node's state directory.
    public static let certificateFileName = "dtls-cert.pem"
    public static let privateKeyFileName = "dtls-key.pem"

    /// The node's certificate from `directory`, made and stored there on first start.
    ///
    /// Both files present and valid: they are used as they are, so the node keeps its identity across restarts.
    /// Either file missing, or the certificate expired at `now`: a new pair is generated and written (the key with
    /// mode 0600, each file through a temporary name and a rename, so a crash leaves no half-written file). That
    /// is safe because DTLS-SRTP peers learn the fingerprint from each call's SDP, never from a stored pin.
    /// Files that are present but unreadable, or a key that does not belong to the certificate, are an error
    /// rather than silently replaced: an operator may have put them there. The directory is created (0700) when
    /// absent.
    public static func loadOrCreate(directory: String, now: Date = Date()) throws(DTLSError) -> DTLSCertificate {
        let certificatePath = directory + "/" + certificateFileName
        let keyPath = directory + "/" + privateKeyFileName
        let manager = FileManager.default
        if manager.fileExists(atPath: certificatePath), manager.fileExists(atPath: keyPath) {
            let certificate = try DTLSCertificate(
                certificatePEM: try readFile(certificatePath), privateKeyPEM: try readFile(keyPath))
            if !certificate.hasExpired(at: now) { return certificate }
        }
        let certificate = try generate(now: now)
        do {
            try manager.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DTLSError(.certificateFile, "cannot create \(directory): \(error)")
        }
        // Key first: a crash between the two renames leaves a key without its certificate, which the next start
        // treats as "missing" and replaces.
        try writeFile(keyPath, certificate.privateKeyPEM, mode: 0o600)
        try writeFile(certificatePath, certificate.certificatePEM, mode: 0o644)
        return certificate
    }

    private static func readFile(_ path: String) throws(DTLSError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DTLSError(.certificateFile, "cannot read \(path)")
        }
        return [UInt8](data)
    }

    /// Writes `bytes` to `path` through `path.tmp` created with `mode` (so the key is never readable by others,
    /// not even for a moment), synced, then renamed over `path`.
    private static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(DTLSError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw fileError("open", temporary) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else {
                let error = fileError("write", temporary)
                close(descriptor)
                unlink(temporary)
                throw error
            }
            written += result
        }
        // The umask may have narrowed `mode` (never widened it); set it exactly.
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else {
            let error = fileError("fchmod/fsync", temporary)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = fileError("rename", path)
            unlink(temporary)
            throw error
        }
    }

    private static func fileError(_ operation: String, _ path: String) -> DTLSError {
        DTLSError(.certificateFile, "\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
