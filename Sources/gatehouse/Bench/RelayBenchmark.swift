import Media
import NIOCore
import NIOPosix
import SDP

/// What carries the bench's packets from senders to sinks.
enum RelayUnderTest: String, CaseIterable, Sendable {
    /// Gatehouse's media relay, in this process, on `relayThreads` event loops.
    case gatehouse
    /// An rtpengine daemon in userspace mode (`--table=-1`) with `relayThreads` worker threads, set up per stream
    /// through its ng control protocol as Kamailio would.
    case rtpengine
    /// Nothing: senders write straight to the sinks. The loopback limit of this machine with this load generator.
    case loopback
}

/// Relay throughput: `streams` anchored streams, each fed by its own sender socket on a load loop with 172-byte RTP
/// packets (a 20 ms G.711 frame) as fast as the socket takes them, and drained by a sink socket that counts what
/// arrived. The same load generator measures Gatehouse, rtpengine and bare loopback.
///
/// With `protection: .srtp` the sinks' leg is SDES SRTP (AES_CM_128_HMAC_SHA1_80) and the sink answers with a key
/// of its own (it never decrypts), so the relay protects every packet; the senders then cycle through packets with
/// increasing sequence numbers, since SRTP refuses to protect one twice.
///
/// The figure is packets delivered to the sinks per second of the measured window. On a 2-core machine the senders,
/// the sinks and the relay share the CPU, so the figure is a floor for any relay, not its ceiling.
struct RelayBenchmark {
    enum Protection: String, CaseIterable {
        case rtp
        case srtp
    }

    var streams: Int
    var seconds: Int
    var through: RelayUnderTest = .gatehouse
    var protection = Protection.rtp
    /// Event loops of Gatehouse's relay, or worker threads of rtpengine.
    var relayThreads = 1
    var rtpengineExecutable = "/usr/bin/rtpengine"
    var packetSize = 172
    /// Loopback addresses of the bench: the relay's two realms, the senders, the sinks, rtpengine.
    var relayInbound = "127.0.0.70"
    var relayOutbound = "127.0.0.71"
    var senderHost = "127.0.0.72"
    var sinkHost = "127.0.0.73"
    var rtpengineHost = "127.0.0.90"

    struct Result {
        var sent: Int
        var delivered: Int
        var seconds: Double
        /// The size of the last datagram a sink received (packetSize + 10 when SRTP added its tag).
        var deliveredSize: Int
        var perSecond: Double { seconds > 0 ? Double(delivered) / seconds : 0 }
    }

    /// Counts datagrams on its loop.
    final class Sink: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        var count = 0
        var lastSize = 0
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            count += 1
            lastSize = unwrapInboundIn(data).data.readableBytes
        }
    }

    /// Sends its packets in turn, in batches, the next batch once the last write of the previous one completed.
    final class Sender: @unchecked Sendable {
        let channel: Channel
        let target: SocketAddress
        let packets: [ByteBuffer]
        var next = 0
        var sent = 0
        var running = true

        init(channel: Channel, target: SocketAddress, packets: [ByteBuffer]) {
            self.channel = channel
            self.target = target
            self.packets = packets
        }

        private func envelope() -> AddressedEnvelope<ByteBuffer> {
            let packet = packets[next]
            next = next + 1 == packets.count ? 0 : next + 1
            return AddressedEnvelope(remoteAddress: target, data: packet)
        }

        func pump() {
            guard running else { return }
            for _ in 0..<31 { channel.write(envelope(), promise: nil) }
            let last = channel.writeAndFlush(envelope())
            sent += 32
            // A write that completes at once calls back at once: the next batch goes through the loop, not the stack.
            last.whenComplete { _ in self.channel.eventLoop.execute { self.pump() } }
        }
    }

    func run() async throws -> Result {
        if protection == .srtp, through == .loopback {
            throw Rtpengine.Failure(description: "bare loopback has nothing to protect packets")
        }
        let relayGroup = MultiThreadedEventLoopGroup(numberOfThreads: relayThreads)
        let loadGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loadLoop = loadGroup.next()
        // The sinks get a loop of their own: senders that refill their socket without pause keep a loop's task
        // queue from ever emptying, and NIO would then never read the sinks' sockets.
        let sinkGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let sinkLoop = sinkGroup.next()
        let relay = MediaRelay(group: relayGroup)
        let inbound = MediaRealmConfiguration(
            address: relayInbound, ports: 44_000...45_999, timeout: .seconds(3600))
        let outbound = MediaRealmConfiguration(
            address: relayOutbound, ports: 46_000...47_999, timeout: .seconds(3600),
            srtp: SRTPSettings(mode: protection == .srtp ? .required : .off, suites: [.aesCM128HMACSHA1Tag80]))
        let rtpengine: Rtpengine? =
            through == .rtpengine
            ? try await Rtpengine.start(
                executable: rtpengineExecutable, address: rtpengineHost, ports: 55_000...58_999,
                threads: relayThreads)
            : nil
        defer { rtpengine?.stop() }
        var sessions: [MediaSession] = []
        var senders: [Sender] = []
        var sinks: [(Channel, Sink)] = []
        // Real streams: a new sequence number each time (65536, then the rollover counter moves on). SRTP refuses to
        // protect one twice, and rtpengine stops forwarding a stream that repeats one at a high rate.
        let packets = (0..<65_536).map {
            Self.packet(sequence: UInt16($0), size: packetSize)
        }
        for index in 0..<streams {
            let sink = Sink()
            let sinkChannel = try await DatagramBootstrap(group: sinkLoop)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: 32)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(sink) }
                }
                .bind(host: sinkHost, port: 0).get()
            let senderChannel = try await DatagramBootstrap(group: loadLoop).bind(host: senderHost, port: 0).get()
            let senderPort = senderChannel.localAddress?.port ?? 0
            let sinkPort = sinkChannel.localAddress?.port ?? 0
            let target: SocketAddress
            switch through {
            case .gatehouse:
                let session = relay.makeSession(inbound: inbound, outbound: outbound) {}
                let offer = try session.anchor(Self.description(senderHost, senderPort), from: .inbound, role: .offer)
                var sinkAnswer = try Self.description(sinkHost, sinkPort)
                if let crypto = offer.media[0].attributes.crypto.first {
                    // The sink answers the relay's SRTP offer with a key of its own (it never decrypts).
                    sinkAnswer.media[0].proto = offer.media[0].proto
                    var generator = SystemRandomNumberGenerator()
                    let key = SRTPMasterKey.random(for: .aesCM128HMACSHA1Tag80, using: &generator)
                    sinkAnswer.media[0].attributes.crypto = [
                        CryptoAttribute(tag: crypto.tag, suite: crypto.suite, keySalt: key.keySalt)
                    ]
                }
                let answer = try session.anchor(sinkAnswer, from: .outbound, role: .answer)
                target = try SocketAddress(ipAddress: relayInbound, port: Int(answer.media[0].port))
                sessions.append(session)
            case .rtpengine:
                target = try await rtpengine!.openStream(
                    call: index, caller: (senderHost, senderPort), callee: (sinkHost, sinkPort),
                    calleeProtocol: protection == .srtp ? "RTP/SAVP" : nil)
            case .loopback:
                target = try SocketAddress(ipAddress: sinkHost, port: sinkPort)
            }
            senders.append(Sender(channel: senderChannel, target: target, packets: packets))
            sinks.append((sinkChannel, sink))
        }
        // The relay's channels register asynchronously: give them a moment before the load starts.
        try await Task.sleep(for: .milliseconds(300))
        let allSenders = senders
        try await loadLoop.submit { for sender in allSenders { sender.pump() } }.get()
        try await Task.sleep(for: .milliseconds(500))
        let allSinks = sinks
        let (sentBefore, deliveredBefore) = try await count(allSenders, on: loadLoop, allSinks, on: sinkLoop)
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(seconds))
        let (sentAfter, deliveredAfter) = try await count(allSenders, on: loadLoop, allSinks, on: sinkLoop)
        let elapsed = ContinuousClock.now - start
        let size = try await sinkLoop.submit { allSinks.first?.1.lastSize ?? 0 }.get()
        try await loadLoop.submit { for sender in allSenders { sender.running = false } }.get()
        for session in sessions { session.close() }
        for sender in senders { try? await sender.channel.close() }
        for (channel, _) in sinks { try? await channel.close() }
        try await loadGroup.shutdownGracefully()
        try await sinkGroup.shutdownGracefully()
        try await relayGroup.shutdownGracefully()
        let measured = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(
            sent: sentAfter - sentBefore, delivered: deliveredAfter - deliveredBefore, seconds: measured,
            deliveredSize: size)
    }

    /// Packets sent and delivered so far, each read on its own loop.
    private func count(
        _ senders: [Sender], on loadLoop: any EventLoop, _ sinks: [(Channel, Sink)], on sinkLoop: any EventLoop
    ) async throws -> (sent: Int, delivered: Int) {
        let sent = try await loadLoop.submit { senders.reduce(0) { $0 + $1.sent } }.get()
        let delivered = try await sinkLoop.submit { sinks.reduce(0) { $0 + $1.1.count } }.get()
        return (sent, delivered)
    }

    /// A PCMA packet of `size` bytes with sequence number `sequence`.
    static func packet(sequence: UInt16, size: Int) -> ByteBuffer {
        var packet = ByteBuffer(bytes: [0x80, 8])
        packet.writeInteger(sequence)
        packet.writeInteger(UInt32(sequence) &* 160)
        packet.writeBytes([0x47, 0x41, 0x54, 0x45])
        packet.writeBytes([UInt8](repeating: 0xD5, count: size - 12))
        return packet
    }

    static func description(_ host: String, _ port: Int) throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    }
}
