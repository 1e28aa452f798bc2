import SDP

/// What one leg's SDP exchange agreed for DTLS-SRTP on one stream: Gatehouse's end of the association and the
/// certificate fingerprints the far end must present. The signalling side decides it; the relay runs the
/// association.
public struct DTLSLegSetup: Sendable, Hashable {
    /// Gatehouse's role on the leg: `.client` sends the ClientHello.
    public var role: DTLSRole
    /// The far end's `a=fingerprint`s (media level, else session level).
    public var remoteFingerprints: [Fingerprint]

    public init(role: DTLSRole, remoteFingerprints: [Fingerprint]) {
        self.role = role
        self.remoteFingerprints = remoteFingerprints
    }
}
