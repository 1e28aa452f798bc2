import SIPMessage

/// What a peer may see of the other side of a call beyond what topology hiding always allows.
///
/// Gatehouse is a B2BUA: each leg has its own Call-ID, tags, branches, Via, Contact and Record-Route, and only
/// end-to-end headers that carry no address cross (`HeaderPassList.endToEnd`). P-*, X-*, Server, User-Agent,
/// Warning and every other header stay on their side unless the receiving peer lists them here.
public struct TopologySettings: Sendable, Hashable {
    /// Header names (or `X-*`-style wildcards) copied across to this peer. P-Asserted-Identity crosses only from a
    /// trusted peer (RFC 3325 §5: it is removed on arrival from any other sender), whatever this list says.
    public var passHeaders: [HeaderPattern]

    public init(passHeaders: [HeaderPattern] = []) {
        self.passHeaders = passHeaders
    }
}
