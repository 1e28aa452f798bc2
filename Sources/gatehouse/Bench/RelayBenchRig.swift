import Media
import NIOCore
import NIOPosix
import SDP

/// Everything one relay benchmark runs on, set up once and measured as often as needed: the relay (Gatehouse's in
/// this process, or an rtpengine daemon), `streams` sender sockets on a load loop, `streams` sink sockets on a sink
/// loop, and the anchored streams between them. A rate search measures many rates on one rig, so that setting up
/// 1000 streams (and, for rtpengine, 2000 ng commands) happens once.
///
/// Threads: the relay has `relayThreads` (Gatehouse's event loops, or rtpengine's `--num-threads`); the senders
/// share one loop and the sinks another. On a 2-core machine that is three busy threads or more on two cores, so a
/// figure is a floor for any relay, not its ceiling.
final class RelayBenchRig: @unchecked Sendable {
    private let relayGroup: MultiThreadedEventLoopGroup
    private let loadGroup: MultiThreadedEventLoopGroup
    private let sinkGroup: MultiThreadedEventLoopGroup
    private let loadLoop: any EventLoop
    private let sinkLoop: any EventLoop
    private let rtpengine: Rtpengine?
    private var sessions: [MediaSession] = []
    private var sinks: [(channel: Channel, sink: RelayBenchmark.Sink)] = []
    /// The flood's senders, one per stream, and the paced load over the same sockets.
    private var senders: [RelayBenchmark.Sender] = []
    private var paced: PacedRelayLoad?

    private init(relayThreads: Int, rtpengine: Rtpengine?) {
        relayGroup = MultiThreadedEventLoopGroup(numberOfThreads: relayThreads)
        loadGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loadLoop = loadGroup.next()
        // The sinks get a loop of their own: senders that refill their socket without pause keep a loop's task
        // queue from ever emptying, and NIO would then never read the sinks' sockets.
        sinkGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        sinkLoop = sinkGroup.next()
        self.rtpengine = rtpengine
    }

    /// Starts the relay and anchors `benchmark.streams` streams through it; nothing is sent yet.
    static func start(_ benchmark: RelayBenchmark) async throws -> RelayBenchRig {
        if benchmark.protection == .srtp, benchmark.through == .loopback {
            throw Rtpengine.Failure(description: "bare loopback has nothing to protect packets")
        }
        let rtpengine: Rtpengine? =
            benchmark.through == .rtpengine
            ? try await Rtpengine.start(
                executable: benchmark.rtpengineExecutable, address: benchmark.rtpengineHost, ports: 55_000...58_999,
                threads: benchmark.relayThreads)
            : nil
        let rig = RelayBenchRig(relayThreads: benchmark.relayThreads, rtpengine: rtpengine)
        do {
            try await rig.anchorStreams(benchmark)
        } catch {
            try? await rig.stop()
            throw error
        }
        return rig
    }

    private func anchorStreams(_ benchmark: RelayBenchmark) async throws {
        let relay = MediaRelay(group: relayGroup)
        let inbound = MediaRealmConfiguration(
            address: benchmark.relayInbound, ports: 44_000...45_999, timeout: .seconds(3600))
        let outbound = MediaRealmConfiguration(
            address: benchmark.relayOutbound, ports: 46_000...47_999, timeout: .seconds(3600),
            srtp: SRTPSettings(
                mode: benchmark.protection == .srtp ? .required : .off, suites: [.aesCM128HMACSHA1Tag80]))
        // Real streams: a new sequence number each time (65536, then the rollover counter moves on). SRTP refuses to
        // protect one twice, and rtpengine stops forwarding a stream that repeats one at a high rate.
        let packets = (0..<65_536).map {
            RelayBenchmark.packet(sequence: UInt16($0), size: benchmark.packetSize)
        }
        var targets: [(Channel, SocketAddress)] = []
        for index in 0..<benchmark.streams {
            let sink = RelayBenchmark.Sink()
            let sinkChannel = try await DatagramBootstrap(group: sinkLoop)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: 32)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 32 * 2048))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(sink) }
                }
                .bind(host: benchmark.sinkHost, port: 0).get()
            sinks.append((sinkChannel, sink))
            let senderChannel = try await DatagramBootstrap(group: loadLoop)
                .channelOption(.socketOption(.so_sndbuf), value: 1 << 20)
                .bind(host: benchmark.senderHost, port: 0).get()
            let target = try await anchor(
                index, benchmark, relay: relay, inbound: inbound, outbound: outbound,
                sender: senderChannel.localAddress?.port ?? 0, sink: sinkChannel.localAddress?.port ?? 0)
            senders.append(RelayBenchmark.Sender(channel: senderChannel, target: target, packets: packets))
            targets.append((senderChannel, target))
        }
        paced = PacedRelayLoad(loop: loadLoop, streams: targets, packets: packets)
        // The relay's channels register asynchronously: give them a moment before the load starts.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// Sets up stream `index` between a sender and a sink port; returns where the sender's packets go.
    private func anchor(
        _ index: Int, _ benchmark: RelayBenchmark, relay: MediaRelay, inbound: MediaRealmConfiguration,
        outbound: MediaRealmConfiguration, sender: Int, sink: Int
    ) async throws -> SocketAddress {
        switch benchmark.through {
        case .gatehouse:
            let session = relay.makeSession(inbound: inbound, outbound: outbound) {}
            sessions.append(session)
            let offer = try session.anchor(
                RelayBenchmark.description(benchmark.senderHost, sender), from: .inbound, role: .offer)
            var sinkAnswer = try RelayBenchmark.description(benchmark.sinkHost, sink)
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
            return try SocketAddress(ipAddress: benchmark.relayInbound, port: Int(answer.media[0].port))
        case .rtpengine:
            guard let rtpengine else { throw Rtpengine.Failure(description: "rtpengine is not running") }
            return try await rtpengine.openStream(
                call: index, caller: (benchmark.senderHost, sender), callee: (benchmark.sinkHost, sink),
                calleeProtocol: benchmark.protection == .srtp ? "RTP/SAVP" : nil)
        case .loopback:
            return try SocketAddress(ipAddress: benchmark.sinkHost, port: sink)
        }
    }

    /// Every sender as fast as its socket takes packets: half a second of warm-up, then `seconds` measured.
    func flood(seconds: Int) async throws -> RelayBenchmark.Result {
        let senders = self.senders
        try await loadLoop.submit { for sender in senders { sender.running = true } }.get()
        try await loadLoop.submit { for sender in senders { sender.pump() } }.get()
        try await Task.sleep(for: .milliseconds(500))
        let sentBefore = try await loadLoop.submit { senders.reduce(0) { $0 + $1.sent } }.get()
        let deliveredBefore = try await delivered()
        let start = ContinuousClock.now
        try await Task.sleep(for: .seconds(seconds))
        let sentAfter = try await loadLoop.submit { senders.reduce(0) { $0 + $1.sent } }.get()
        let deliveredAfter = try await delivered()
        let elapsed = ContinuousClock.now - start
        try await loadLoop.submit { for sender in senders { sender.running = false } }.get()
        // What the last batches left in the sockets drains before anything else is measured on this rig.
        try await Task.sleep(for: .milliseconds(300))
        return RelayBenchmark.Result(
            sent: sentAfter - sentBefore, delivered: deliveredAfter - deliveredBefore, seconds: elapsed.inSeconds,
            deliveredSize: try await lastSize())
    }

    /// The load at `rate` packets/s in all (`PacedRelayLoad`): `warmUp` first, then `seconds` measured; the load
    /// then stops and what is still in flight has `drain` to arrive, so that the packets delivered are the
    /// packets sent in the window, not a window's worth of a moving stream.
    func paced(
        rate: Int, seconds: Double, warmUp: Duration = .milliseconds(500), drain: Duration = .milliseconds(300)
    ) async throws -> RelayBenchmark.Result {
        guard let paced else { throw Rtpengine.Failure(description: "no streams") }
        try await loadLoop.submit { paced.start(rate: rate) }.get()
        try await Task.sleep(for: warmUp)
        let (sentBefore, skippedBefore) = try await loadLoop.submit { (paced.sent, paced.skipped) }.get()
        let deliveredBefore = try await delivered()
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let (sentAfter, skippedAfter) = try await loadLoop.submit {
            paced.stop()
            return (paced.sent, paced.skipped)
        }.get()
        let elapsed = ContinuousClock.now - start
        try await Task.sleep(for: drain)
        let sent = sentAfter - sentBefore
        // Packets in flight when the window opened arrive in it too; never more than were sent.
        let delivered = min(sent, try await delivered() - deliveredBefore)
        return RelayBenchmark.Result(
            sent: sent, delivered: delivered, seconds: elapsed.inSeconds, deliveredSize: try await lastSize(),
            offeredRate: rate, skipped: skippedAfter - skippedBefore)
    }

    private func delivered() async throws -> Int {
        let sinks = self.sinks
        return try await sinkLoop.submit { sinks.reduce(0) { $0 + $1.sink.count } }.get()
    }

    private func lastSize() async throws -> Int {
        let sinks = self.sinks
        return try await sinkLoop.submit { sinks.first?.sink.lastSize ?? 0 }.get()
    }

    /// Closes every socket and stops the loops and rtpengine (by its pid).
    func stop() async throws {
        defer { rtpengine?.stop() }
        let senders = self.senders
        let paced = self.paced
        try await loadLoop.submit {
            paced?.stop()
            for sender in senders { sender.running = false }
        }.get()
        for session in sessions { session.close() }
        for sender in senders { try? await sender.channel.close() }
        for (channel, _) in sinks { try? await channel.close() }
        try await loadGroup.shutdownGracefully()
        try await sinkGroup.shutdownGracefully()
        try await relayGroup.shutdownGracefully()
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
