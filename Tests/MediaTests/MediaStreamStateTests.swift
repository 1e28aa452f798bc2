import Media
import Testing

/// The stream state machine without sockets: latching, where packets go, counters and silence.
@Suite struct MediaStreamStateTests {
    typealias State = MediaStreamState<TestAddress>
    static let caller = TestAddress("192.0.2.1", 4000)
    static let callee = TestAddress("198.51.100.7", 6000)
    static let second: UInt64 = 1_000_000_000

    /// A stream whose legs' SDPs named `caller` and `callee`.
    static func signalled(
        latching: LatchingMode = .anySource, muxed: Bool = false
    ) -> State {
        var state = State(inbound: latching, outbound: latching, createdAt: 0)
        state.signal(
            .inbound, rtp: caller, rtcp: TestAddress(caller.host, caller.port + 1), rtcpMux: muxed)
        state.signal(
            .outbound, rtp: callee, rtcp: TestAddress(callee.host, callee.port + 1), rtcpMux: muxed)
        return state
    }

    static func rtp(_ sequence: UInt16) -> MediaPacket? {
        TestPackets.parse(TestPackets.rtp(sequence: sequence, timestamp: UInt32(sequence) * 160))
    }

    @Test func relaysRTPToTheOtherLegsSignalledAddress() {
        var state = Self.signalled()
        let decision = state.receive(Self.rtp(1), size: 172, from: Self.caller, on: .inbound, socket: .rtp, at: 1)
        guard case .forward(let destination, let socket) = decision else {
            Issue.record("dropped: \(decision)")
            return
        }
        #expect(destination == Self.callee)
        #expect(socket == .rtp)
        #expect(state.inbound.rtp.packets == 1)
        #expect(state.inbound.rtp.bytes == 172)
    }

    /// NAT: the callee's packets come from another port than its SDP says; once latched, RTP toward it goes there.
    @Test func latchesTheFirstSourceAndAnswersThere() {
        var state = Self.signalled()
        let natted = TestAddress("203.0.113.9", 31_000)
        _ = state.receive(Self.rtp(1), size: 172, from: natted, on: .outbound, socket: .rtp, at: 1)
        #expect(state.outbound.latchedRTP == natted)
        let decision = state.receive(Self.rtp(1), size: 172, from: Self.caller, on: .inbound, socket: .rtp, at: 2)
        guard case .forward(let destination, _) = decision else {
            Issue.record("dropped: \(decision)")
            return
        }
        #expect(destination == natted)
    }

    @Test func dropsAStrangerOnceLatched() {
        var state = Self.signalled()
        _ = state.receive(Self.rtp(1), size: 172, from: Self.caller, on: .inbound, socket: .rtp, at: 1)
        let stranger = TestAddress("192.0.2.66", 4000)
        let decision = state.receive(Self.rtp(2), size: 172, from: stranger, on: .inbound, socket: .rtp, at: 2)
        guard case .drop(.unexpectedSource) = decision else {
            Issue.record("relayed a stranger's packet: \(decision)")
            return
        }
        #expect(state.inbound.dropped == 1)
        #expect(state.inbound.rtp.packets == 1)
    }

    @Test func signalledLatchingAcceptsOnlyTheSDPsHost() {
        var state = Self.signalled(latching: .signalledHostOnly)
        let stranger = TestAddress("192.0.2.66", 4000)
        guard
            case .drop(.unexpectedSource) = state.receive(
                Self.rtp(1), size: 172, from: stranger, on: .inbound, socket: .rtp, at: 1)
        else {
            Issue.record("a packet from another host latched")
            return
        }
        // Another port on the signalled host is fine (the endpoint's own NAT-free port choice).
        let otherPort = TestAddress(Self.caller.host, 4100)
        guard case .forward = state.receive(Self.rtp(2), size: 172, from: otherPort, on: .inbound, socket: .rtp, at: 2)
        else {
            Issue.record("the signalled host was refused")
            return
        }
    }

    /// SIPp plays pcaps from a raw socket with source port 0: relayed, never latched (nothing can answer port 0).
    @Test func aSourceWithoutAPortIsRelayedButNotLearned() {
        var state = Self.signalled()
        let portless = TestAddress(Self.caller.host, 0)
        guard case .forward = state.receive(Self.rtp(1), size: 172, from: portless, on: .inbound, socket: .rtp, at: 1)
        else {
            Issue.record("dropped")
            return
        }
        #expect(state.inbound.latchedRTP == nil)
        guard
            case .forward(let back, _) = state.receive(
                Self.rtp(1), size: 172, from: Self.callee, on: .outbound, socket: .rtp, at: 2)
        else {
            Issue.record("dropped the answer")
            return
        }
        #expect(back == Self.caller, "answers go to the SDP's address")
    }

    @Test func invalidPacketsAreDroppedAndCounted() {
        var state = Self.signalled()
        guard case .drop(.invalid) = state.receive(nil, size: 3, from: Self.caller, on: .inbound, socket: .rtp, at: 1)
        else {
            Issue.record("relayed garbage")
            return
        }
        #expect(state.inbound.dropped == 1)
        #expect(state.inbound.latchedRTP == nil, "garbage must not latch")
    }

    @Test func withoutTheOtherLegsSDPThereIsNowhereToSend() {
        var state = State(inbound: .anySource, outbound: .anySource, createdAt: 0)
        state.signal(.inbound, rtp: Self.caller, rtcp: nil, rtcpMux: false)
        guard
            case .drop(.noDestination) = state.receive(
                Self.rtp(1), size: 172, from: Self.caller, on: .inbound, socket: .rtp, at: 1)
        else {
            Issue.record("sent to nowhere")
            return
        }
    }

    @Test func rtcpGoesToTheRTCPPortOrMuxed() {
        var plain = Self.signalled()
        let report = TestPackets.parse(TestPackets.rtcpReceiverReport)
        guard
            case .forward(let destination, let socket) = plain.receive(
                report, size: 8, from: TestAddress(Self.caller.host, 4001), on: .inbound, socket: .rtcp, at: 1)
        else {
            Issue.record("RTCP dropped")
            return
        }
        #expect(destination == TestAddress(Self.callee.host, 6001))
        #expect(socket == .rtcp)
        #expect(plain.inbound.rtcpPackets == 1)

        var muxed = Self.signalled(muxed: true)
        guard
            case .forward(let muxedDestination, let muxedSocket) = muxed.receive(
                report, size: 8, from: Self.caller, on: .inbound, socket: .rtp, at: 1)
        else {
            Issue.record("muxed RTCP dropped")
            return
        }
        #expect(muxedDestination == Self.callee)
        #expect(muxedSocket == .rtp)
    }

    /// A re-INVITE moving the callee: what was latched is forgotten and the new address used, without a new stream.
    @Test func aNewSignalledAddressReplacesTheLatch() {
        var state = Self.signalled()
        _ = state.receive(Self.rtp(1), size: 172, from: Self.callee, on: .outbound, socket: .rtp, at: 1)
        let moved = TestAddress("198.51.100.8", 7000)
        state.signal(.outbound, rtp: moved, rtcp: nil, rtcpMux: false)
        #expect(state.outbound.latchedRTP == nil)
        guard
            case .forward(let destination, _) = state.receive(
                Self.rtp(2), size: 172, from: Self.caller, on: .inbound, socket: .rtp, at: 2)
        else {
            Issue.record("dropped after the move")
            return
        }
        #expect(destination == moved)
        #expect(state.outbound.rtp.packets == 1, "the counters survive the move")
    }

    @Test func silenceOnBothLegsTimesOut() {
        var state = Self.signalled()
        let timeout = 5 * Self.second
        #expect(!state.isSilent(at: 4 * Self.second, timeout: timeout))
        #expect(state.isSilent(at: 5 * Self.second, timeout: timeout))
        _ = state.receive(Self.rtp(1), size: 172, from: Self.callee, on: .outbound, socket: .rtp, at: 4 * Self.second)
        #expect(!state.isSilent(at: 8 * Self.second, timeout: timeout), "one leg talking keeps the stream alive")
        #expect(state.isSilent(at: 9 * Self.second, timeout: timeout))
        state.expectsMedia = false
        #expect(!state.isSilent(at: 100 * Self.second, timeout: timeout), "on hold nothing is expected")
    }
}
