import COpenSSL
import SDP

/// The DTLS-SRTP key exchange of one media leg (RFC 5763, RFC 5764): a DTLS 1.2 handshake over the leg's media
/// port that ends in SRTP master keys for both directions.
///
///     start() / receive(_:) / handleTimeout()
///              │
///              ▼
///       ┌─────────────┐  handshake done, no peer fingerprint yet (RFC 5763 §5)  ┌─────────────────────┐
///       │ handshaking │ ──────────────────────────────────────────────────────► │ awaitingFingerprint │
///       └─────────────┘                                                          └─────────────────────┘
///         │         │ handshake done, certificate matches    expectRemoteFingerprints(_:) │        │
///         │         │ the SDP fingerprint                       certificate matches ◄─────┘        │
///         │         ▼                                                                              │
///         │   ┌─────────────────┐  close() / close_notify   ┌────────┐                             │
///         │   │ connected(keys) │ ─────────────────────────►│ closed │                             │
///         │   └─────────────────┘                           └────────┘                             │
///         │ alert, refused certificate, no SRTP profile,                        certificate does   │
///         ▼ retransmissions exhausted                                           not match          │
///       ┌────────┐ ◄────────────────────────────────────────────────────────────────────────────────┘
///       │ failed │
///       └────────┘
///
/// No I/O and no timers of its own: each event (`start`, `receive`, `handleTimeout`, `close`) returns the
/// datagrams to send on the leg, in order, each at most `DTLSConfiguration.mtu` bytes; the caller schedules
/// `handleTimeout` after `retransmissionTimeout` from its event loop. (OpenSSL measures that timeout against the
/// system clock itself, so `handleTimeout` called early does nothing; call it again at the new timeout.)
///
/// Loop-bound like the rest of a call's media state: not `Sendable`, one owner.
public final class DTLSAssociation {
    /// Where the association stands.
    public enum State: Sendable, Hashable {
        /// Flights are being exchanged.
        case handshaking
        /// The handshake finished before the peer's SDP arrived with its fingerprint (an offerer saying
        /// `actpass` gets the answerer's ClientHello before the answer, RFC 5763 §5). Nothing may be protected
        /// with the keys until `expectRemoteFingerprints(_:)` checks the certificate.
        case awaitingFingerprint
        /// The peer is who its SDP says; `keys` protect and unprotect the leg's SRTP.
        case connected(DTLSSRTPKeys)
        /// Either side closed the association (close_notify).
        case closed
        /// The association is over for good; the leg cannot be keyed by it.
        case failed(DTLSError)
    }

    public let role: DTLSRole
    public private(set) var state: State = .handshaking
    /// `SSL *`, owned.
    private let ssl: OpaquePointer
    private let link: DTLSLink
    /// Keeps the `SSL_CTX` alive as long as the `SSL`.
    private let context: DTLSContext
    /// The keys and the peer's certificate (`X509 *`, owned) while in `awaitingFingerprint`.
    private var pending: (keys: DTLSSRTPKeys, certificate: OpaquePointer)?

    /// An association on `context` in `role`, checking the peer against `remoteFingerprints` (its SDP's
    /// `a=fingerprint`s; empty when they are not known yet).
    ///
    /// Throws `noUsableFingerprint` when fingerprints are given but none can be checked, and `setup` when OpenSSL
    /// refuses the session.
    public init(context: DTLSContext, role: DTLSRole, remoteFingerprints: [Fingerprint] = []) throws(DTLSError) {
        let expected = ExpectedFingerprint.usable(remoteFingerprints)
        guard remoteFingerprints.isEmpty || !expected.isEmpty else {
            throw DTLSError(.noUsableFingerprint, remoteFingerprints.map(\.attributeValue).joined(separator: ", "))
        }
        guard let ssl = SSL_new(context.context) else {
            throw DTLSError(.setup, OpenSSLErrorQueue.drain(or: "SSL_new failed"))
        }
        let link = DTLSLink(configuration: context.configuration, cookieSecret: context.cookieSecret)
        link.expectedFingerprints = expected
        guard let bio = link.makeBIO() else {
            SSL_free(ssl)
            throw DTLSError(.setup, OpenSSLErrorQueue.drain(or: "BIO_new failed"))
        }
        // One BIO for both directions: SSL_set_bio takes over its single reference.
        SSL_set_bio(ssl, bio, bio)
        guard gh_SSL_set_mtu(ssl, context.configuration.mtu) == context.configuration.mtu else {
            SSL_free(ssl)
            throw DTLSError(.setup, OpenSSLErrorQueue.drain(or: "MTU \(context.configuration.mtu) refused"))
        }
        DTLS_set_timer_cb(ssl, datagramTimerCallback)
        switch role {
        case .client: SSL_set_connect_state(ssl)
        case .server: SSL_set_accept_state(ssl)
        }
        self.ssl = ssl
        self.link = link
        self.context = context
        self.role = role
    }

    deinit {
        if let pending { X509_free(pending.certificate) }
        SSL_free(ssl)
    }

    /// The fingerprint this side writes in its SDP.
    public var localFingerprint: Fingerprint { context.certificate.fingerprint }

    /// Sends the first flight: the ClientHello for a client, nothing for a server (it waits for one).
    public func start() -> [[UInt8]] {
        guard case .handshaking = state, role == .client else { return [] }
        advanceHandshake()
        return link.takeOutgoing()
    }

    /// Processes one datagram the demultiplexer classified as DTLS (`MediaDatagramKind.dtls`) and returns what
    /// to send in reply: the next flight, a retransmission, or nothing. Malformed records are dropped silently,
    /// as RFC 6347 §4.1.2.7 asks, so garbage from the network cannot fail the association. `source` names where
    /// the datagram came from (its address in any stable form): a server's HelloVerifyRequest cookie is bound to
    /// it (`DTLSCookie`).
    public func receive(_ datagram: some Collection<UInt8>, from source: some Collection<UInt8> = []) -> [[UInt8]] {
        // An empty read means end of file to OpenSSL, which a datagram socket never reports.
        guard !datagram.isEmpty else { return [] }
        link.peer = Array(source)
        switch state {
        case .failed, .closed:
            return []
        case .handshaking:
            let bytes = Array(datagram)
            if role == .server, context.configuration.cookieExchange,
                DTLSCookie.isForged(bytes, secret: context.cookieSecret, peer: link.peer)
            {
                return []
            }
            link.incoming = bytes
            advanceHandshake()
        case .awaitingFingerprint, .connected:
            link.incoming = Array(datagram)
            readRecords()
        }
        link.incoming = nil
        return link.takeOutgoing()
    }

    /// How long until `handleTimeout()` should be called: while a flight of ours awaits its answer; nil when no
    /// retransmission is pending.
    public var retransmissionTimeout: Duration? {
        switch state {
        case .failed, .closed: return nil
        case .handshaking, .awaitingFingerprint, .connected: break
        }
        var remaining = timeval()
        guard gh_DTLSv1_get_timeout(ssl, &remaining) == 1 else { return nil }
        return .seconds(remaining.tv_sec) + .microseconds(remaining.tv_usec)
    }

    /// Retransmits the last flight if its timer has run out (RFC 6347 §4.2.4) and returns it; fails the
    /// association once OpenSSL's retransmission limit is reached.
    public func handleTimeout() -> [[UInt8]] {
        switch state {
        case .failed, .closed: return []
        case .handshaking, .awaitingFingerprint, .connected: break
        }
        if gh_DTLSv1_handle_timeout(ssl) < 0 {
            fail(.timedOut, OpenSSLErrorQueue.drain(or: "no answer to the retransmitted flight"))
        } else {
            OpenSSLErrorQueue.clear()
        }
        return link.takeOutgoing()
    }

    /// Gives the peer's fingerprints once its SDP arrives (the answer, for an offerer). In `awaitingFingerprint`
    /// this decides between `connected` and `failed`; during the handshake the certificate is checked as it
    /// arrives. Throws, changing nothing, when none of them can be checked.
    public func expectRemoteFingerprints(_ fingerprints: [Fingerprint]) throws(DTLSError) {
        let expected = ExpectedFingerprint.usable(fingerprints)
        guard !expected.isEmpty else {
            throw DTLSError(.noUsableFingerprint, fingerprints.map(\.attributeValue).joined(separator: ", "))
        }
        link.expectedFingerprints = expected
        if case .awaitingFingerprint = state, let pending {
            verify(pending.certificate, keys: pending.keys)
        }
    }

    /// Ends the association with a close_notify (to send on the leg) when the leg goes away.
    public func close() -> [[UInt8]] {
        switch state {
        case .failed, .closed: return []
        case .handshaking, .awaitingFingerprint, .connected: break
        }
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
        releasePending()
        state = .closed
        return link.takeOutgoing()
    }
}

// MARK: - Handshake

extension DTLSAssociation {
    private func advanceHandshake() {
        let result = SSL_do_handshake(ssl)
        guard result == 1 else {
            let error = SSL_get_error(ssl, result)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                OpenSSLErrorQueue.clear()
            } else if link.refusedCertificate {
                fail(.fingerprintMismatch, "the peer's certificate does not match its a=fingerprint")
            } else {
                fail(.handshakeFailed, OpenSSLErrorQueue.drain(or: "SSL error \(error)"))
            }
            return
        }
        handshakeFinished()
    }

    /// RFC 5764 §4.1.1: the use_srtp extension must have picked a profile; §4.2: the keys are exported with the
    /// label "EXTRACTOR-dtls_srtp" and no context.
    private func handshakeFinished() {
        guard let selected = SSL_get_selected_srtp_profile(ssl),
            let profile = DTLSSRTPProfile(identifier: UInt16(truncatingIfNeeded: selected.pointee.id))
        else {
            fail(.noSRTPProfile, "the peer agreed on no SRTP protection profile")
            return
        }
        let label = "EXTRACTOR-dtls_srtp"
        var material = [UInt8](repeating: 0, count: DTLSSRTPKeys.materialLength(for: profile))
        guard SSL_export_keying_material(ssl, &material, material.count, label, label.utf8.count, nil, 0, 0) == 1,
            let keys = DTLSSRTPKeys(splitting: material, profile: profile, role: role)
        else {
            fail(.keyExport, OpenSSLErrorQueue.drain(or: "SSL_export_keying_material failed"))
            return
        }
        guard let certificate = SSL_get1_peer_certificate(ssl) else {
            fail(.handshakeFailed, "the peer presented no certificate")
            return
        }
        if link.expectedFingerprints.isEmpty {
            pending = (keys, certificate)
            state = .awaitingFingerprint
        } else {
            pending = (keys, certificate)
            verify(certificate, keys: keys)
        }
    }

    /// The check after the handshake (RFC 5763 §5), whether or not the verify callback already made it: the
    /// certificate must match the SDP's fingerprint before the keys are handed out.
    private func verify(_ certificate: OpaquePointer, keys: DTLSSRTPKeys) {
        let matches = ExpectedFingerprint.matches(link.expectedFingerprints, certificate: certificate)
        releasePending()
        if matches {
            state = .connected(keys)
        } else {
            fail(.fingerprintMismatch, "the peer's certificate does not match its a=fingerprint")
        }
    }

    /// Reads what arrives after the handshake: a retransmitted last flight of the peer (OpenSSL answers with ours
    /// again), a close_notify or an alert. DTLS-SRTP sends no application data; any is discarded.
    private func readRecords() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            let result = SSL_read(ssl, &buffer, Int32(buffer.count))
            if result > 0 { continue }
            let error = SSL_get_error(ssl, result)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                OpenSSLErrorQueue.clear()
            } else if error == SSL_ERROR_ZERO_RETURN {
                OpenSSLErrorQueue.clear()
                releasePending()
                state = .closed
            } else {
                fail(.handshakeFailed, OpenSSLErrorQueue.drain(or: "SSL error \(error) after the handshake"))
            }
            return
        }
    }

    private func fail(_ code: DTLSError.Code, _ detail: String) {
        releasePending()
        state = .failed(DTLSError(code, detail))
    }

    private func releasePending() {
        if let pending { X509_free(pending.certificate) }
        pending = nil
    }
}
