/// One leg of a relayed stream, as Gatehouse sees its far end: where the SDP says it is, where packets actually
/// come from (latched), and what arrived from it.
public struct StreamLegState<Address: MediaAddress>: Sendable {
    /// Where the leg's SDP says RTP and RTCP go; nil before that leg's SDP (or for a rejected stream).
    public private(set) var signalledRTP: Address?
    public private(set) var signalledRTCP: Address?
    /// The leg's SDP carried `a=rtcp-mux`.
    public private(set) var offersRTCPMux = false
    /// The source of the first valid RTP packet: RTP toward this leg goes back there.
    public private(set) var latchedRTP: Address?
    /// The source of the first valid RTCP packet and the socket it came in on (the RTP one under rtcp-mux).
    public private(set) var latchedRTCP: (address: Address, socket: MediaSocket)?
    public let latching: LatchingMode
    /// RTP from this leg.
    public internal(set) var rtp = RTPStatistics()
    /// RTCP from this leg.
    public internal(set) var rtcpPackets: UInt64 = 0
    public internal(set) var rtcpBytes: UInt64 = 0
    /// Packets from this leg that were not relayed (invalid, from a stranger, nowhere to go).
    public internal(set) var dropped: UInt64 = 0
    /// SRTP/SRTCP from this leg whose authentication tag did not match (a wrong key, tampering); also `dropped`.
    public internal(set) var srtpAuthenticationFailures: UInt64 = 0
    /// SRTP/SRTCP from this leg replayed or older than the replay window; also `dropped`.
    public internal(set) var srtpReplays: UInt64 = 0
    /// When the last valid packet came from this leg (monotonic nanoseconds).
    public internal(set) var lastPacketAt: UInt64?

    public init(latching: LatchingMode) {
        self.latching = latching
    }

    /// The leg's SDP named these addresses: a change (a re-INVITE moving the stream) forgets what was latched, so
    /// that the next packets teach the new source; the same addresses again keep it.
    mutating func signal(rtp: Address?, rtcp: Address?, rtcpMux: Bool) {
        if rtp != signalledRTP {
            latchedRTP = nil
            latchedRTCP = nil
        }
        signalledRTP = rtp
        signalledRTCP = rtcp
        offersRTCPMux = rtcpMux
    }

    /// Whether a packet from `source` may be taken from this leg; learns the source from the first one. A
    /// source that cannot be answered is taken without being learned: answers keep going where the SDP says.
    mutating func accept(from source: Address, socket: MediaSocket, isRTCP: Bool) -> Bool {
        if latching == .signalledHostOnly {
            guard let signalledRTP, source.hasSameHost(as: signalledRTP) else { return false }
        }
        guard source.isAnswerable else { return true }
        if isRTCP {
            if let latchedRTCP { return latchedRTCP.address == source && latchedRTCP.socket == socket }
            latchedRTCP = (source, socket)
            return true
        }
        if let latchedRTP { return latchedRTP == source }
        latchedRTP = source
        return true
    }

    /// Where RTP toward this leg goes: its latched source, else its SDP's address.
    var rtpDestination: Address? { latchedRTP ?? signalledRTP }

    /// Where RTCP toward this leg goes and from which socket: its latched RTCP source, else the SDP's RTCP address
    /// (the RTP one when both legs asked for rtcp-mux).
    func rtcpDestination(muxed: Bool) -> (address: Address, socket: MediaSocket)? {
        if let latchedRTCP { return latchedRTCP }
        if muxed, let rtp = rtpDestination { return (rtp, .rtp) }
        return signalledRTCP.map { ($0, .rtcp) }
    }
}
