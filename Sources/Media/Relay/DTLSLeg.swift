import NIOCore
import SDP

/// One leg's DTLS-SRTP on its stream: the association that agrees the keys on the leg's RTP port, the libsrtp
/// sessions those keys make once it is connected, and its retransmission timer; without rtcp-mux, a second one
/// (`rtcp`) for the RTCP port.
///
/// Made by the session on the engine's side and handed to the stream's loop, which alone uses it afterwards
/// (hence `@unchecked Sendable`, like `RelayStream`). Until the association is connected, `contexts` is nil and
/// the leg's SRTP is neither unprotected nor sent: no packet crosses a DTLS leg unencrypted.
public final class DTLSLeg: @unchecked Sendable {
    let association: DTLSAssociation
    private let context: DTLSContext
    /// The association on the leg's RTCP port when the stream does not multiplex RTCP (RFC 5764 §4.1: each port
    /// has its own DTLS session and keys; SRTCP runs under the RTCP one); nil under rtcp-mux.
    var rtcp: DTLSLeg?
    /// The fingerprints the association checks; empty while an offer of Gatehouse's awaits its answer.
    private(set) var remoteFingerprints: [Fingerprint]
    /// libsrtp with the association's keys: the local key protects toward the leg, the remote one unprotects.
    private(set) var contexts: SRTPLegContexts?
    /// Why the leg cannot be keyed (the association failed, or libsrtp refused its keys); it then relays nothing.
    private(set) var failure: DTLSError?
    /// Whether the stream has told the session of `failure` (once per association).
    var failureReported = false
    /// Whether the client's first flight went out.
    var started = false
    /// The pending `handleTimeout`, replaced after every event.
    var retransmission: Scheduled<Void>?

    init(context: DTLSContext, setup: DTLSLegSetup) throws(DTLSError) {
        association = try DTLSAssociation(
            context: context, role: setup.role, remoteFingerprints: setup.remoteFingerprints)
        remoteFingerprints = setup.remoteFingerprints
        self.context = context
    }

    /// A server association for a leg Gatehouse offered DTLS to (`actpass`, so the far end usually answers
    /// `active`): its ClientHello may arrive before its answer, and the fingerprint check waits for that answer.
    init(awaitingAnswerOn context: DTLSContext) throws(DTLSError) {
        association = try DTLSAssociation(context: context, role: .server)
        remoteFingerprints = []
        self.context = context
    }

    /// An association for the RTCP port in the same role, checking the same fingerprints (none yet while an
    /// offer of Gatehouse's awaits its answer).
    func makeRTCPLeg() throws(DTLSError) -> DTLSLeg {
        try DTLSLeg(context: context, setup: DTLSLegSetup(role: role, remoteFingerprints: remoteFingerprints))
    }

    var role: DTLSRole { association.role }

    /// The answer arrived with the far end's fingerprints.
    func expect(_ fingerprints: [Fingerprint]) {
        rtcp?.expect(fingerprints)
        do {
            try association.expectRemoteFingerprints(fingerprints)
            remoteFingerprints = fingerprints
        } catch {
            failure = error
        }
        refreshKeys()
    }

    /// After each event of the association: keys for libsrtp the first time it is connected, or the failure.
    func refreshKeys() {
        guard contexts == nil, failure == nil else { return }
        switch association.state {
        case .handshaking, .awaitingFingerprint, .closed:
            return
        case .failed(let error):
            failure = error
        case .connected(let keys):
            let suite = SRTPCryptoSuite(keys.profile)
            guard let local = SRTPMasterKey(suite: suite, keySalt: keys.localKeySalt),
                let remote = SRTPMasterKey(suite: suite, keySalt: keys.remoteKeySalt)
            else {
                failure = DTLSError(.keyExport, "DTLS-SRTP keys of the wrong length for \(suite)")
                return
            }
            do {
                contexts = try SRTPLegContexts(SRTPKeying(remote: remote, local: local))
            } catch {
                failure = DTLSError(.keyExport, "libsrtp refused the exported keys: \(error.code): \(error.detail)")
            }
        }
    }

    /// The first event of a client: its ClientHello.
    func start() -> [[UInt8]] {
        started = true
        return association.start()
    }

    /// The leg goes away: the close_notify to send, and no more timer.
    func close() -> [[UInt8]] {
        retransmission?.cancel()
        retransmission = nil
        return association.close()
    }
}

extension SRTPCryptoSuite {
    /// The SDES suite that runs a DTLS-SRTP profile's keys (RFC 5764 §4.1.2, RFC 7714 §14.2).
    public init(_ profile: DTLSSRTPProfile) {
        switch profile {
        case .aes128CMSHA1Tag80: self = .aesCM128HMACSHA1Tag80
        case .aes128CMSHA1Tag32: self = .aesCM128HMACSHA1Tag32
        case .aeadAES128GCM: self = .aeadAES128GCM
        }
    }
}
