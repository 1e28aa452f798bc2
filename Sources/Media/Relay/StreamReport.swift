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
        /// SRTP/SRTCP from this leg that failed authentication (counted in `dropped` too).
        public var srtpAuthenticationFailures: UInt64
        /// SRTP/SRTCP from this leg that were replays (counted in `dropped` too).
        public var srtpReplays: UInt64
        /// Where packets from this leg come from, once learned (`host:port`).
        public var latchedSource: String?
        /// The SRTP suite the leg ran at the end; nil for plain RTP.
        public var srtpSuite: SRTPCryptoSuite? = nil
        /// Why the leg's DTLS-SRTP association failed, if it did (the leg then relayed nothing).
        public var dtlsFailure: DTLSError.Code? = nil
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
            dropped: state.dropped, srtpAuthenticationFailures: state.srtpAuthenticationFailures,
            srtpReplays: state.srtpReplays, latchedSource: state.latchedRTP.map { "\($0)" })
    }
}
