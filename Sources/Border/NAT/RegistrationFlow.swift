import SIPMessage

/// The way back to a registered user agent: the address and port its REGISTER came from (its NAT binding, or
/// its connection over TCP and TLS) and the listener it reached.
public struct RegistrationFlow: Sendable, Hashable, CustomStringConvertible {
    /// The observed source, with the transport it used.
    public var remote: SIPEndpoint
    /// Gatehouse's listener the REGISTER arrived on: requests for the UA leave from it, so that the NAT (which
    /// only lets back what comes from where the UA sent to) passes them.
    public var local: SIPEndpoint

    public init(remote: SIPEndpoint, local: SIPEndpoint) {
        self.remote = remote
        self.local = local
    }

    public var description: String { "\(remote) via \(local)" }
}
