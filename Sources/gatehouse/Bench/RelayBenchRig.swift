import Glibc
import Media
import NIOCore
import NIOPosix
import SDP

/// Everything one relay benchmark runs on, set up once and measured as often as needed: the relay (Gatehouse's in
/// this process, or an rtpengine daemon), the load generator (`RelayLoadGenerator`: one socket and thread sending
/// every stream's packets), the sink (`RelayBenchSink`: one socket and thread counting every stream's packets), and
/// the anchored streams between them. A rate search measures many rates on one rig, so that setting up 1000
/// streams (and, for rtpengine, 2000 ng commands) happens once.
///
/// Threads: the relay has `relayThreads` (Gatehouse's event loops, or rtpengine's `--num-threads`); the load and
/// the sink one each. On a 2-core machine that is three busy threads or more on two cores, so a figure is a floor
/// for any relay, not its ceiling.
final class RelayBenchRig: @unchecked Sendable {
    private let relayGroup: MultiThreadedEventLoopGroup
    private let rtpengine: Rtpengine?
    private var sessions: [MediaSession] = []
    private var sink: RelayBenchSink?
    private var load: RelayLoadGenerator?

    private init(relayThreads: Int, rtpengine: Rtpengine?) {
        relayGroup = MultiThreadedEventLoopGroup(numberOfThreads: relayThreads)
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
        let sink = try RelayBenchSink(host: benchmark.sinkHost)
        self.sink = sink
        let socket = try RelayLoadGenerator.socket(host: benchmark.senderHost)
        var destinations: [sockaddr_in] = []
        do {
            for index in 0..<benchmark.streams {
                let target = try await anchor(
                    index, benchmark, relay: relay, inbound: inbound, outbound: outbound, sender: socket.port,
                    sink: sink.port)
                destinations.append(try BenchDatagramSocket.address(target.host, port: target.port))
            }
        } catch {
            socket.close()
            throw error
        }
        load = RelayLoadGenerator(socket: socket, destinations: destinations, packetSize: benchmark.packetSize)
        // The relay's channels register asynchronously: give them a moment before the load starts.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// Sets up stream `index` between a sender and a sink port; returns where the sender's packets go.
    private func anchor(
        _ index: Int, _ benchmark: RelayBenchmark, relay: MediaRelay, inbound: MediaRealmConfiguration,
        outbound: MediaRealmConfiguration, sender: Int, sink: Int
    ) async throws -> (host: String, port: Int) {
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
            return (benchmark.relayInbound, Int(answer.media[0].port))
        case .rtpengine:
            guard let rtpengine else { throw Rtpengine.Failure(description: "rtpengine is not running") }
            let target = try await rtpengine.openStream(
                call: index, caller: (benchmark.senderHost, sender), callee: (benchmark.sinkHost, sink),
                calleeProtocol: benchmark.protection == .srtp ? "RTP/SAVP" : nil)
            return (target.ipAddress ?? benchmark.rtpengineHost, target.port ?? 0)
        case .loopback:
            return (benchmark.sinkHost, sink)
        }
    }

    /// The load as fast as its thread sends: half a second of warm-up, then `seconds` measured.
    func flood(seconds: Int) async throws -> RelayBenchmark.Result {
        try await measure(.flood, seconds: Double(seconds))
    }

    /// The load at `rate` packets/s in all: half a second of warm-up, then `seconds` measured.
    func paced(rate: Int, seconds: Double) async throws -> RelayBenchmark.Result {
        try await measure(.paced(rate: rate), seconds: seconds)
    }

    /// Runs `kind` for `warmUp`, then measures `seconds`; the load then stops and what is still in flight has
    /// `drain` to arrive, so that the packets delivered are the packets sent in the window, not a window's worth
    /// of a moving stream.
    private func measure(
        _ kind: RelayLoadGenerator.Load, seconds: Double, warmUp: Duration = .milliseconds(500),
        drain: Duration = .milliseconds(300)
    ) async throws -> RelayBenchmark.Result {
        guard let load, let sink else { throw Rtpengine.Failure(description: "no streams") }
        load.start(kind)
        try await Task.sleep(for: warmUp)
        let before = load.counts
        let deliveredBefore = sink.counts.count
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let after = load.counts
        load.stop()
        let elapsed = ContinuousClock.now - start
        try await Task.sleep(for: drain)
        let sent = after.sent - before.sent
        // Packets in flight when the window opened arrive in it too; never more than were sent.
        let delivered = min(sent, sink.counts.count - deliveredBefore)
        var offeredRate: Int?
        if case .paced(let rate) = kind { offeredRate = rate }
        return RelayBenchmark.Result(
            sent: sent, delivered: delivered, seconds: elapsed.inSeconds, deliveredSize: sink.counts.lastSize,
            offeredRate: offeredRate, skipped: after.skipped - before.skipped)
    }

    /// Stops the load, the sink, the relay's streams and loops, and rtpengine (by its pid).
    func stop() async throws {
        defer { rtpengine?.stop() }
        await load?.shutdown()
        await sink?.shutdown()
        for session in sessions { session.close() }
        try await relayGroup.shutdownGracefully()
    }
}

extension Duration {
    /// The duration in seconds, with its fraction.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
