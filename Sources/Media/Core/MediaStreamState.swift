/// One relayed stream (one `m=` line of the call) as a value: both legs' far ends, latching, counters and the
/// silence that ends a call. The edge (`RelayStream`) feeds it each datagram and does what it decides.
///
/// ```
///  leg inbound far end ──► [Gatehouse socket, inbound side] ─┐      ┌─ [Gatehouse socket, outbound side] ◄── leg outbound far end
///                                                            └─►◄───┘
/// ```
/// A packet received on one leg's socket is checked (RFC 3550 header, latching), counted, and sent from the other
/// leg's socket to that leg's far end (its latched source, else its SDP's address). Direction attributes
/// (hold, `a=inactive`) are the endpoints' business: what arrives is relayed.
public struct MediaStreamState<Address: MediaAddress>: Sendable {
    public private(set) var inbound: StreamLegState<Address>
    public private(set) var outbound: StreamLegState<Address>
    /// The RTP clock of the stream's first payload type (RFC 3550 A.8 needs it for jitter).
    public var clockRate: UInt32
    /// When the stream was set up: silence counts from here until the first packet.
    public let createdAt: UInt64
    /// False while both SDPs hold the stream rejected (port 0) or `inactive`: no media is expected, so silence
    /// does not end the call.
    public var expectsMedia = true

    public init(inbound: LatchingMode, outbound: LatchingMode, clockRate: UInt32 = 8000, createdAt: UInt64) {
        self.inbound = StreamLegState(latching: inbound)
        self.outbound = StreamLegState(latching: outbound)
        self.clockRate = clockRate
        self.createdAt = createdAt
    }

    public subscript(leg: MediaLeg) -> StreamLegState<Address> {
        get {
            switch leg {
            case .inbound: inbound
            case .outbound: outbound
            }
        }
        set {
            switch leg {
            case .inbound: inbound = newValue
            case .outbound: outbound = newValue
            }
        }
    }

    /// What to do with one datagram.
    public enum Decision: Sendable {
        /// Send it from the other leg's `socket` to `destination`.
        case forward(to: Address, socket: MediaSocket)
        case drop(DropReason)
    }

    public enum DropReason: Sendable, Hashable {
        /// Neither valid RTP nor RTCP (RFC 3550 §5.1 version and lengths).
        case invalid
        /// From another source than the one latched, or (latching `signalled`) than the SDP's host.
        case unexpectedSource
        /// The other leg has no address yet (no SDP from it, and nothing latched).
        case noDestination
    }

    /// A leg's SDP named its media addresses (an offer, an answer, a re-INVITE moving the stream).
    public mutating func signal(_ leg: MediaLeg, rtp: Address?, rtcp: Address?, rtcpMux: Bool) {
        self[leg].signal(rtp: rtp, rtcp: rtcp, rtcpMux: rtcpMux)
    }

    /// A datagram of `size` bytes arrived on `leg`'s `socket` from `source` at `now`; `packet` is nil when it did
    /// not parse as RTP or RTCP.
    public mutating func receive(
        _ packet: MediaPacket?, size: Int, from source: Address, on leg: MediaLeg, socket: MediaSocket, at now: UInt64
    ) -> Decision {
        guard let packet else {
            self[leg].dropped += 1
            return .drop(.invalid)
        }
        let isRTCP = packet == .rtcp
        guard self[leg].accept(from: source, socket: socket, isRTCP: isRTCP) else {
            self[leg].dropped += 1
            return .drop(.unexpectedSource)
        }
        self[leg].lastPacketAt = now
        switch packet {
        case .rtp(let header):
            self[leg].rtp.record(header, size: size, arrival: now, clockRate: clockRate)
            guard let destination = self[leg.other].rtpDestination else { return noDestination(leg) }
            return .forward(to: destination, socket: .rtp)
        case .rtcp:
            self[leg].rtcpPackets += 1
            self[leg].rtcpBytes += UInt64(size)
            let muxed = inbound.offersRTCPMux && outbound.offersRTCPMux
            guard let destination = self[leg.other].rtcpDestination(muxed: muxed) else { return noDestination(leg) }
            return .forward(to: destination.address, socket: destination.socket)
        }
    }

    /// A datagram from `leg` failed SRTP/SRTCP unprotection before it reached `receive`: counted and dropped,
    /// and it neither latches nor keeps the call from going silent (it may not be the far end's at all).
    public mutating func rejectUnprotected(on leg: MediaLeg, _ result: SRTPResult) {
        self[leg].dropped += 1
        switch result {
        case .authenticationFailure: self[leg].srtpAuthenticationFailures += 1
        case .replay: self[leg].srtpReplays += 1
        case .ok, .failure: break
        }
    }

    /// A packet from `leg` that the other leg's protection refused (SRTP protect): counted as dropped.
    public mutating func rejectProtected(from leg: MediaLeg) {
        self[leg].dropped += 1
    }

    private mutating func noDestination(_ leg: MediaLeg) -> Decision {
        self[leg].dropped += 1
        return .drop(.noDestination)
    }

    /// Whether nothing valid came from either leg for `timeout` nanoseconds up to `now` (counting from the
    /// stream's creation before the first packet). A stream that expects no media is never silent.
    public func isSilent(at now: UInt64, timeout: UInt64) -> Bool {
        guard expectsMedia else { return false }
        let last = max(createdAt, inbound.lastPacketAt ?? 0, outbound.lastPacketAt ?? 0)
        return now >= last && now - last >= timeout
    }
}
