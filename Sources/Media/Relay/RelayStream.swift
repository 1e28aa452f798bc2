import NIOCore

/// One relayed stream on its event loop: the pure `MediaStreamState` and the four sockets it moves packets
/// between (RTP and RTCP on each leg). Everything here runs on `loop` only, which is why the class is
/// `@unchecked Sendable`: the session reaches it only through `loop.execute`.
///
/// The hot path (`relay`) forwards the received `ByteBuffer` itself, without copying: it reads the header in
/// place, asks the state where the packet goes, and writes it on the other leg's socket; writes are flushed once
/// per read batch (`flush`), so a batch leaves as one sendmmsg where NIO can.
final class RelayStream: @unchecked Sendable {
    let loop: any EventLoop
    var state: MediaStreamState<SocketAddress>
    /// Each leg's packet protection (SRTP goes here later).
    var protection: [MediaLeg: LegProtection] = [.inbound: .plain, .outbound: .plain]
    /// Each leg's DiffServ code point, set on its sockets as they attach (`RelayStream+DSCP`).
    var dscp: [MediaLeg: UInt8] = [:]
    private var channels: [Channel?] = [nil, nil, nil, nil]
    private var pendingFlush: [Bool] = [false, false, false, false]

    init(loop: any EventLoop, state: MediaStreamState<SocketAddress>) {
        self.loop = loop
        self.state = state
    }

    private static func slot(_ leg: MediaLeg, _ socket: MediaSocket) -> Int {
        (leg == .inbound ? 0 : 2) + (socket == .rtp ? 0 : 1)
    }

    func attach(_ channel: Channel, leg: MediaLeg, socket: MediaSocket) {
        channels[Self.slot(leg, socket)] = channel
        if let dscp = dscp[leg] { Self.apply(dscp, to: channel) }
    }

    func channel(_ leg: MediaLeg, _ socket: MediaSocket) -> Channel? {
        channels[Self.slot(leg, socket)]
    }

    /// A datagram arrived on `leg`'s `socket`.
    func relay(_ envelope: AddressedEnvelope<ByteBuffer>, leg: MediaLeg, socket: MediaSocket) {
        var data = envelope.data
        let now = NIODeadline.now().uptimeNanoseconds
        let packet = data.withUnsafeReadableBytes { MediaPacket(bytes: $0) }
        let decision = state.receive(
            packet, size: data.readableBytes, from: envelope.remoteAddress, on: leg, socket: socket, at: now)
        guard case .forward(let destination, let outgoing) = decision else { return }
        let isRTCP = packet == .rtcp
        let slot = Self.slot(leg.other, outgoing)
        guard let channel = channels[slot],
            protection[leg, default: .plain].unprotect(&data, isRTCP: isRTCP),
            protection[leg.other, default: .plain].protect(&data, isRTCP: isRTCP)
        else { return }
        channel.write(AddressedEnvelope(remoteAddress: destination, data: data), promise: nil)
        pendingFlush[slot] = true
    }

    /// The end of a read batch: what it produced leaves now.
    func flush() {
        for slot in pendingFlush.indices where pendingFlush[slot] {
            pendingFlush[slot] = false
            channels[slot]?.flush()
        }
    }

    func close() {
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
