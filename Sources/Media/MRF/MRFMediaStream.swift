import NIOCore
import NIOPosix

/// One MRF call's RTP on a Gatehouse media address: the edge around `MRFPlayout`. A UDP socket bound on the relay
/// port the call's SDP answer named, a 20 ms timer that sends what the playout produces to the caller, and every
/// datagram received handed to the playout for DTMF. Events (announcement over, digits) go to `onEvent`, which the
/// assembly turns into `MRFSession` events.
///
/// All state lives on `loop` (STYLE rule 11: one owner per call); the public methods hop onto it, which is why the
/// class is `@unchecked Sendable`.
public final class MRFMediaStream: @unchecked Sendable {
    public let loop: any EventLoop
    private var playout: MRFPlayout
    private var remote: SocketAddress
    private var channel: Channel?
    private var timer: RepeatedTask?
    private let started = NIODeadline.now()
    private var counted = MRFMediaCounters()
    private let onEvent: @Sendable (MRFPlayout.Event) -> Void

    private init(
        loop: any EventLoop, playout: MRFPlayout, remote: SocketAddress,
        onEvent: @escaping @Sendable (MRFPlayout.Event) -> Void
    ) {
        self.loop = loop
        self.playout = playout
        self.remote = remote
        self.onEvent = onEvent
    }

    /// Binds `host:port` and starts the 20 ms timer (silence until something is played).
    public static func open(
        on loop: any EventLoop, host: String, port: Int, remote: SocketAddress, playout: MRFPlayout,
        onEvent: @escaping @Sendable (MRFPlayout.Event) -> Void
    ) -> EventLoopFuture<MRFMediaStream> {
        let stream = MRFMediaStream(loop: loop, playout: playout, remote: remote, onEvent: onEvent)
        return DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Receiver(stream: stream))
                }
            }
            .bind(host: host, port: port)
            .map { channel in
                stream.channel = channel
                stream.timer = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(20)) { _ in
                    stream.tick()
                }
                return stream
            }
    }

    /// The counters so far (after `close`, the final ones).
    public func counters() -> EventLoopFuture<MRFMediaCounters> {
        loop.submit { self.counted }
    }

    /// The local address the socket is bound to.
    public var localAddress: SocketAddress? { channel?.localAddress }

    public func play(_ audio: WAVAudio) { onLoop { $0.playout.play(audio) } }
    public func play(_ plan: TonePlan) { onLoop { $0.playout.play(plan) } }
    public func stopPlaying() { onLoop { $0.playout.stop() } }
    public func pause() { onLoop { $0.playout.pause() } }
    public func resume() { onLoop { $0.playout.resume() } }

    /// Starts collecting a menu entry now.
    public func collectDigits(timeout: Duration) {
        onLoop { $0.playout.collectDigits(timeout: timeout, at: $0.elapsed) }
    }

    /// A re-INVITE moved the caller's media.
    public func send(to remote: SocketAddress) { onLoop { $0.remote = remote } }

    /// Stops the timer and closes the socket.
    public func close() -> EventLoopFuture<Void> {
        loop.flatSubmit {
            self.timer?.cancel()
            self.timer = nil
            guard let channel = self.channel else { return self.loop.makeSucceededVoidFuture() }
            self.channel = nil
            return channel.close()
        }
    }

    private var elapsed: Duration {
        .nanoseconds(Int64(NIODeadline.now().uptimeNanoseconds - started.uptimeNanoseconds))
    }

    private func onLoop(_ body: @escaping @Sendable (MRFMediaStream) -> Void) {
        loop.execute { body(self) }
    }

    private func tick() {
        let (packet, events) = playout.tick(at: elapsed)
        if let packet, let channel {
            counted.countSent(packet)
            channel.writeAndFlush(
                AddressedEnvelope(remoteAddress: remote, data: ByteBuffer(bytes: packet)), promise: nil)
        }
        for event in events { onEvent(event) }
    }

    fileprivate func receive(_ bytes: [UInt8]) {
        guard counted.countReceived(bytes) else { return }
        for event in playout.receive(bytes, at: elapsed) { onEvent(event) }
    }

    /// Hands received datagrams to the stream.
    private final class Receiver: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let stream: MRFMediaStream

        init(stream: MRFMediaStream) { self.stream = stream }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            stream.receive(Array(envelope.data.readableBytesView))
        }
    }
}
