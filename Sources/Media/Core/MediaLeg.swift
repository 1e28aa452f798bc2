/// One side of an anchored call, as the relay sees it: the caller's leg (`inbound`) or the callee's (`outbound`).
///
/// The relay does not import the B2BUA's types; the engine maps its own leg names onto these.
public enum MediaLeg: Sendable, Hashable, CaseIterable {
    case inbound
    case outbound

    /// The leg a packet received on this one is relayed to.
    public var other: MediaLeg {
        switch self {
        case .inbound: .outbound
        case .outbound: .inbound
        }
    }
}

/// Which of a stream's two sockets on a leg: RTP on the even port, RTCP on the odd port above it. With rtcp-mux
/// (RFC 5761) RTCP travels on the RTP socket too.
public enum MediaSocket: Sendable, Hashable {
    case rtp
    case rtcp
}

/// How a leg's far end may be learned (symmetric latching).
public enum LatchingMode: Sendable, Hashable {
    /// From the first valid packet, whatever its source: endpoints behind NAT send from another address than the one
    /// their SDP names.
    case anySource
    /// Only from packets whose source host is the one the SDP names (any port).
    case signalledHostOnly
}

/// An address the pure stream state compares and relays to; the edge uses NIO's `SocketAddress`, tests a plain
/// value.
public protocol MediaAddress: Hashable, Sendable {
    /// Whether both name the same host, whatever the ports.
    func hasSameHost(as other: Self) -> Bool
    /// False for a source that cannot be answered: UDP source port 0 ("no port", RFC 768), which raw-socket
    /// senders such as SIPp's pcap player use.
    var isAnswerable: Bool { get }
}
