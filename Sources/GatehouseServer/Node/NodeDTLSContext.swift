import Foundation
import GatehousePolicy
import Logging
import Media
import SDP

/// The node's DTLS-SRTP identity: one certificate for every DTLS leg, kept in the node's state directory so that it
/// survives restarts (peers learn it from each call's SDP, so a new one would work too, but a stable one is easier
/// to recognise in captures and logs).
enum NodeDTLSContext {
    /// The directory of the node's SQLite state (`node.state: sqlite:PATH`, relative to `policyDirectory`); nil for
    /// a state location that is not a file.
    static func stateDirectory(of settings: NodeSettings, policyDirectory: String) -> String? {
        guard let path = try? IMSStateStore.sqlitePath(settings.state, directory: policyDirectory) else { return nil }
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// A context with the certificate in `directory` (made there on first start); with no directory, one that does
    /// not exist (the node never makes its state directory: the package or `StateDirectory=` does, and a node run
    /// without one, a test's, must not leave files in /var/lib), or one that cannot be read or written (logged),
    /// one with a certificate in memory for this run. Nil only when OpenSSL can make no context at all; DTLS-SRTP is
    /// then refused (488) on every leg.
    static func make(directory: String?, logger: Logger) -> DTLSContext? {
        if let directory, !FileManager.default.fileExists(atPath: directory) {
            logger.notice("no state directory \(directory): the DTLS-SRTP certificate is kept for this run only")
        } else if let directory {
            do {
                let context = try DTLSContext(certificate: try DTLSCertificate.loadOrCreate(directory: directory))
                logger.info("DTLS-SRTP certificate \(context.certificate.fingerprint.attributeValue) from \(directory)")
                return context
            } catch {
                logger.error("DTLS-SRTP certificate in \(directory): \(error); using one for this run only")
            }
        }
        do {
            return try DTLSContext(certificate: try DTLSCertificate.generate())
        } catch {
            logger.error("DTLS-SRTP unavailable: \(error)")
            return nil
        }
    }
}
