/// What one leg's SDP exchange agreed for SDES-SRTP on one stream: the far end's key (what it protects with, so
/// what Gatehouse unprotects with) and Gatehouse's own key for the leg (what it protects with toward the far end),
/// both of one suite. The signalling side decides it; the relay turns it into libsrtp contexts.
public struct SRTPKeying: Sendable, Hashable, CustomStringConvertible {
    public var remote: SRTPMasterKey
    public var local: SRTPMasterKey

    public init(remote: SRTPMasterKey, local: SRTPMasterKey) {
        self.remote = remote
        self.local = local
    }

    public var suite: SRTPCryptoSuite { local.suite }

    public var description: String { "SRTP \(suite)" }
}
