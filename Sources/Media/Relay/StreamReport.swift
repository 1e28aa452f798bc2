/// What one stream carried, per leg (the far end's packets toward Gatehouse), for logs and the admin API.
public struct StreamReport: Sendable, Hashable {
    public struct Leg: Sendable, Hashable {
        public var rtpPackets: UInt64
        public var rtpBytes: UInt64
        public var rtcpPackets: UInt64
        public var lost: UInt64
        /// Interarrival jitter in milliseconds (RFC 3550 A.8).
        public var jitterMilliseconds: Double
        public var dropped: UInt64
        /// Where packets from this leg come from, once learned (`host:port`).
        public var latchedSource: String?
    }

    /// The `m=` line's index.
    public var index: Int
    public var inbound: Leg
    public var outbound: Leg

    public subscript(leg: MediaLeg) -> Leg {
        leg == .inbound ? inbound : outbound
    }
}

extension StreamReport.Leg {
    init<Address>(_ state: StreamLegState<Address>, clockRate: UInt32) {
        self.init(
            rtpPackets: state.rtp.packets, rtpBytes: state.rtp.bytes, rtcpPackets: state.rtcpPackets,
            lost: state.rtp.lost, jitterMilliseconds: state.rtp.jitterMilliseconds(clockRate: clockRate),
            dropped: state.dropped, latchedSource: state.latchedRTP.map { "\($0)" })
    }
}
