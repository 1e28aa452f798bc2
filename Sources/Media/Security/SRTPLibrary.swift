import CSRTP
import CSRTPOpenSSL

/// libsrtp's process-wide initialisation: `srtp_init` registers the ciphers and runs their self-tests, and must run
/// once per process. A second call fails with `srtp_err_status_bad_param` because the debug module is already
/// loaded, which is what happens when another part of the same process (a test target linked into the same
/// binary) initialised the library first; that counts as initialised. A lazy `static let` runs exactly once.
///
/// Then AES-CM and HMAC-SHA1 are swapped for OpenSSL's (`gh_srtp_use_openssl`, CSRTPOpenSSL): Debian's libsrtp2
/// runs on NSS, which opens a PKCS#11 session for every packet and looks for a free one along a chain that grows
/// with the streams (a quarter of the relay's time at 1000 SRTP streams). libsrtp self-tests the replacements with
/// its own vectors; should that fail, it keeps NSS, which is slower but correct.
enum SRTPLibrary {
    private static let initialization: srtp_err_status_t = {
        let status = srtp_init()
        guard status == srtp_err_status_ok || status == srtp_err_status_bad_param else { return status }
        _ = gh_srtp_use_openssl()
        return status
    }()

    /// Initialises libsrtp on first use; throws when its self-tests failed.
    static func ensureInitialized() throws(SRTPError) {
        let status = initialization
        guard status == srtp_err_status_ok || status == srtp_err_status_bad_param else {
            throw SRTPError(.libraryUnavailable, detail: "srtp_init failed with status \(status.rawValue)")
        }
    }
}
