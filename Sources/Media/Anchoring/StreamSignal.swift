import SDP

/// What one leg's SDP says about one of its streams: where its far end receives RTP and RTCP, and whether media
/// is expected. The edge turns the hosts into socket addresses and hands them to the stream's state.
public struct StreamSignal: Sendable, Hashable {
    /// The `m=` line's index: the stream it describes (RFC 3264 §6 matches by position).
    public var index: Int
    /// The leg whose SDP this was.
    public var leg: MediaLeg
    /// Gatehouse's RTP port toward each leg (RTCP is +1); nil for a stream that has none (port 0, not RTP).
    public var localPorts: [MediaLeg: UInt16]
    /// The far end's RTP host and port; nil when the stream is rejected or held with `c=0.0.0.0`.
    public var rtp: HostPort?
    /// The far end's RTCP host and port (`a=rtcp`, else RTP port + 1).
    public var rtcp: HostPort?
    public var rtcpMux: Bool
    public var direction: Direction
    /// The RTP clock of the first payload type (8000 when the SDP does not say).
    public var clockRate: UInt32
    /// The SRTP keys agreed for `leg` on this stream; nil for plain RTP.
    public var srtp: SRTPKeying? = nil
    /// The DTLS-SRTP association agreed for `leg` on this stream; nil when the leg does not key by DTLS.
    public var dtls: DTLSLegSetup? = nil

    public struct HostPort: Sendable, Hashable {
        public var host: String
        public var port: UInt16

        public init(host: String, port: UInt16) {
            self.host = host
            self.port = port
        }
    }

    /// Media flows at all: the stream is accepted and `sendrecv`. On hold (`sendonly`, `recvonly`, `inactive`) the
    /// endpoint may well send nothing, so silence does not end the call then.
    public var expectsMedia: Bool { rtp != nil && direction == .sendrecv }
}
