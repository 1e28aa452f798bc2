import SIPMessage

/// A peer's header manipulation (`peers.NAME.normalize`): rules run on every message from the peer (`inbound`) and
/// on every message to it (`outbound`), and a few built-in fixes.
///
/// The order is fixed, so that a rule sees what the one before it left:
/// - inbound: `privateHeaders` are removed, then the `inbound` rules run in order, then Max-Forwards is bounded by
///   `maxForwards`, then Require and Proxy-Require lose the option tags Gatehouse does not support (when
///   `stripUnsupportedRequires`);
/// - outbound: the `outbound` rules run in order, then compact header names are written long (when
///   `longHeaderNames`).
///
/// Border's `NormalizationStage` applies it; the model only says what to do.
public struct PeerNormalization: Hashable, Sendable {
    /// Rules for messages from the peer, in order. Default: none.
    public var inbound: [HeaderRule]
    /// Rules for messages to the peer, in order. Default: none.
    public var outbound: [HeaderRule]
    /// Whether header names written in their compact form (`f`, `v`, `i`, …) are written long toward the peer, for
    /// peers that do not understand compact forms. Default: false.
    public var longHeaderNames: Bool
    /// Whether option tags of Require and Proxy-Require that Gatehouse does not support are removed from the peer's
    /// requests (instead of the request being answered 420 Bad Extension). Default: false.
    public var stripUnsupportedRequires: Bool
    /// The largest Max-Forwards the peer's requests keep: a larger one is lowered to it, a missing one is set to it.
    /// Default: nil (left as sent).
    public var maxForwards: Int?
    /// Headers the peer uses for itself, removed from everything it sends (names or wildcards such as `X-Acme-*`).
    /// Default: none.
    public var privateHeaders: [HeaderPattern]

    public init(
        inbound: [HeaderRule] = [], outbound: [HeaderRule] = [], longHeaderNames: Bool = false,
        stripUnsupportedRequires: Bool = false, maxForwards: Int? = nil, privateHeaders: [HeaderPattern] = []
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.longHeaderNames = longHeaderNames
        self.stripUnsupportedRequires = stripUnsupportedRequires
        self.maxForwards = maxForwards
        self.privateHeaders = privateHeaders
    }

    /// No rule and no fix: messages pass unchanged.
    public var isEmpty: Bool { self == PeerNormalization() }
}
