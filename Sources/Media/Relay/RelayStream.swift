import NIOCore

/// One relayed stream on its event loop: the pure `MediaStreamState` and the four sockets it moves packets
/// between (RTP and RTCP on each leg). Everything here runs on `loop` only, which is why the class is
/// `@unchecked Sendable`: the session reaches it only through `loop.execute`.
///
/// The hot path (`relay`) forwards the received `ByteBuffer` itself, without copying: it reads the header in
/// place, asks the state where the packet goes, and writes it on the other leg's socket; writes are flushed once
/// per read batch (`flush`), so a batch leaves as one sendmmsg where NIO can. A stream with SRTP on either leg
/// copies each packet once, into the loop's `PacketScratch`, and transforms it there (no allocation either).
final class RelayStream: @unchecked Sendable {
    let loop: any EventLoop
    var state: MediaStreamState<SocketAddress>
    /// Each leg's packet protection.
    var protection: [MediaLeg: LegProtection] = [.inbound: .plain, .outbound: .plain]
    /// The loop's buffers for packets SRTP changes (nil only in a relay without scratch, where they are dropped).
    let scratch: PacketScratch?
    /// Each leg's DiffServ code point, set on its sockets as they attach (`RelayStream+DSCP`).
    var dscp: [MediaLeg: UInt8] = [:]
    /// Why each leg's last failed DTLS association failed (`RelayStream+DTLS`), for the stream's report.
    var dtlsFailures: [MediaLeg: DTLSError.Code] = [:]
    /// Told (on the loop) when a leg's DTLS association fails for good; set by the session before the stream runs.
    var onDTLSFailure: ((MediaLeg, DTLSError) -> Void)?
    private(set) var channels: [Channel?] = [nil, nil, nil, nil]
    private var pendingFlush: [Bool] = [false, false, false, false]

    init(loop: any EventLoop, state: MediaStreamState<SocketAddress>, scratch: PacketScratch?) {
        self.loop = loop
        self.state = state
        self.scratch = scratch
    }

    static func slot(_ leg: MediaLeg, _ socket: MediaSocket) -> Int {
        (leg == .inbound ? 0 : 2) + (socket == .rtp ? 0 : 1)
    }

    func attach(_ channel: Channel, leg: MediaLeg, socket: MediaSocket) {
        channels[Self.slot(leg, socket)] = channel
        if let dscp = dscp[leg] { Self.apply(dscp, to: channel) }
        startDTLSIfReady(on: leg)
    }

    func channel(_ leg: MediaLeg, _ socket: MediaSocket) -> Channel? {
        channels[Self.slot(leg, socket)]
    }

    /// A datagram arrived on `leg`'s `socket`.
    func relay(_ envelope: AddressedEnvelope<ByteBuffer>, leg: MediaLeg, socket: MediaSocket) {
        let incoming = protection[leg, default: .plain]
        let outgoing = protection[leg.other, default: .plain]
        if case .dtls = incoming {
            // RFC 7983 §7: the handshake shares the port with SRTP; only SRTP/SRTCP goes on to libsrtp.
            switch MediaDatagramKind(classifying: envelope.data.readableBytesView) {
            case .rtpOrRTCP:
                break
            case .dtls:
                receiveDTLS(envelope, on: leg, socket)
                return
            case .stun, .zrtp, .turnChannel, .unknown:
                state.rejectUnprotected(on: leg, .failure)
                return
            }
        }
        if incoming.transformsPackets || outgoing.transformsPackets {
            relayTransformed(envelope, leg: leg, socket: socket, incoming: incoming, outgoing: outgoing)
            return
        }
        let data = envelope.data
        let now = NIODeadline.now().uptimeNanoseconds
        let packet = data.withUnsafeReadableBytes { MediaPacket(bytes: $0) }
        let decision = state.receive(
            packet, size: data.readableBytes, from: envelope.remoteAddress, on: leg, socket: socket, at: now)
        guard case .forward(let destination, let outgoing) = decision else { return }
        let slot = Self.slot(leg.other, outgoing)
        guard let channel = channels[slot] else { return }
        channel.write(AddressedEnvelope(remoteAddress: destination, data: data), promise: nil)
        pendingFlush[slot] = true
    }

    /// The path of a datagram that SRTP changes on either leg: copied into the loop's scratch ring, unprotected
    /// as the arrival leg requires (before the state sees it, so that an unauthenticated packet neither latches
    /// nor counts as media), checked and counted, then protected as the departure leg requires.
    private func relayTransformed(
        _ envelope: AddressedEnvelope<ByteBuffer>, leg: MediaLeg, socket: MediaSocket, incoming: LegProtection,
        outgoing: LegProtection
    ) {
        let data = envelope.data
        guard let scratch else {
            state.rejectProtected(from: leg)
            return
        }
        let now = NIODeadline.now().uptimeNanoseconds
        // RFC 5761 §4: the second byte tells RTCP (payload types 192–223) from RTP; SRTCP keeps it in clear.
        let second = data.getInteger(at: data.readerIndex + 1, as: UInt8.self) ?? 0
        let arrivedAsRTCP = (192...223).contains(second)
        var destination: SocketAddress?
        var slot = 0
        let transformed = scratch.transform(data) { buffer in
            let unprotected = incoming.unprotect(&buffer, original: data, isRTCP: arrivedAsRTCP)
            guard unprotected == .ok else {
                state.rejectUnprotected(on: leg, unprotected)
                return false
            }
            let packet = buffer.withUnsafeReadableBytes { MediaPacket(bytes: $0) }
            let decision = state.receive(
                packet, size: buffer.readableBytes, from: envelope.remoteAddress, on: leg, socket: socket, at: now)
            guard case .forward(let address, let socket) = decision else { return false }
            slot = Self.slot(leg.other, socket)
            guard channels[slot] != nil else { return false }
            guard outgoing.protect(&buffer, isRTCP: packet == .rtcp) == .ok else {
                state.rejectProtected(from: leg)
                return false
            }
            destination = address
            return true
        }
        guard let transformed, let destination, let channel = channels[slot] else { return }
        channel.write(AddressedEnvelope(remoteAddress: destination, data: transformed), promise: nil)
        pendingFlush[slot] = true
    }

    /// The SRTP suite `leg` runs; nil for plain RTP.
    func srtpSuite(on leg: MediaLeg) -> SRTPCryptoSuite? {
        switch protection[leg, default: .plain] {
        case .plain: nil
        case .srtp(let contexts): contexts.keying.suite
        case .dtls(let dtls): dtls.contexts?.keying.suite
        }
    }

    /// A leg's SDP agreed new SRTP keys, or plain RTP (`nil`).
    func setProtection(_ contexts: SRTPLegContexts?, on leg: MediaLeg) {
        endDTLS(on: leg)
        protection[leg] = contexts.map { .srtp($0) } ?? .plain
    }

    /// The end of a read batch: what it produced leaves now.
    func flush() {
        for slot in pendingFlush.indices where pendingFlush[slot] {
            pendingFlush[slot] = false
            channels[slot]?.flush()
        }
    }

    func close() {
        for leg in MediaLeg.allCases { endDTLS(on: leg) }
        for channel in channels { channel?.close(promise: nil) }
        channels = [nil, nil, nil, nil]
    }
}

/// Reads one socket of a stream and hands each datagram to the stream.
final class RelayHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let stream: RelayStream
    private let leg: MediaLeg
    private let socket: MediaSocket

    init(stream: RelayStream, leg: MediaLeg, socket: MediaSocket) {
        self.stream = stream
        self.leg = leg
        self.socket = socket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        stream.relay(unwrapInboundIn(data), leg: leg, socket: socket)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        stream.flush()
    }

    /// ICMP port unreachable from an endpoint that is not listening yet, a full send buffer: the socket stays open,
    /// the packet is lost, as on any UDP path.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
