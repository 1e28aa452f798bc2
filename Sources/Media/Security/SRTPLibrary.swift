import CSRTP

/// libsrtp's process-wide initialisation: `srtp_init` registers the ciphers and runs their self-tests, and must run
/// once per process. A second call fails with `srtp_err_status_bad_param` because the debug module is already
/// loaded, which is what happens when another part of the same process (a test target linked into the same
/// binary) initialised the library first; that counts as initialised. A lazy `static let` runs exactly once.
enum SRTPLibrary {
    private static let initialization: srtp_err_status_t = srtp_init()

    /// Initialises libsrtp on first use; throws when its self-tests failed.
    static func ensureInitialized() throws(SRTPError) {
        let status = initialization
        guard status == srtp_err_status_ok || status == srtp_err_status_bad_param else {
            throw SRTPError(.libraryUnavailable, detail: "srtp_init failed with status \(status.rawValue)")
        }
    }
}
