/// How a realm serves user agents behind NAT (its `nat:` section): where their responses and later requests go,
/// and how their NAT bindings are kept open.
///
/// Registrations through Gatehouse are always relayed with Gatehouse's own Contact (topology hiding: the
/// registrar never learns a UA's address); these settings decide how the UA itself is reached.
public struct NATSettings: Sendable, Hashable {
    /// How a keepalive reaches the UA.
    public enum KeepaliveMethod: String, Sendable, Hashable, CaseIterable {
        /// An OPTIONS request (RFC 3261 §11): the UA answers, so an unanswered ping is noticed.
        case options
        /// A bare CRLF CRLF (RFC 5626 §4.4.1 on streams; the common NAT ping on UDP): cheaper, never answered.
        case crlf
    }

    /// Which registered UAs get keepalives.
    public enum KeepaliveTarget: String, Sendable, Hashable, CaseIterable {
        /// Only those whose registration showed NAT (`NATDetection`).
        case natted
        /// Every UA registered through the realm.
        case all
    }

    /// Requests for a registered UA go to the address and port its REGISTER came from (its NAT binding), over
    /// the connection it came on. False sends them to the Contact the UA registered, when that is an IP
    /// address (a UA that is not behind NAT but registers from another port). Default true.
    public var fixContact: Bool
    /// UDP responses go to the source address and port even when the request's Via has no `rport`: RFC 3581
    /// applied to clients that forget to ask (behind NAT, the Via's port is not the one that reaches them).
    /// Default false, as RFC 3261 §18.2.2 has it; turn it on for realms of handsets.
    public var forceRport: Bool
    /// How often a registered UA is pinged to keep its NAT binding open; nil: never. Default nil.
    public var keepaliveInterval: Duration?
    public var keepaliveMethod: KeepaliveMethod
    public var keepaliveTarget: KeepaliveTarget
    /// Unanswered OPTIONS pings in a row after which the UA is taken as gone: its binding is dropped, so calls
    /// for it stop at Gatehouse (480) until it registers again. Default 3.
    public var keepaliveFailures: Int

    public init(
        fixContact: Bool = true, forceRport: Bool = false, keepaliveInterval: Duration? = nil,
        keepaliveMethod: KeepaliveMethod = .options, keepaliveTarget: KeepaliveTarget = .natted,
        keepaliveFailures: Int = 3
    ) {
        self.fixContact = fixContact
        self.forceRport = forceRport
        self.keepaliveInterval = keepaliveInterval
        self.keepaliveMethod = keepaliveMethod
        self.keepaliveTarget = keepaliveTarget
        self.keepaliveFailures = keepaliveFailures
    }
}
