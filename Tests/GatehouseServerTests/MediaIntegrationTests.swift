import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import TestSupport
import Testing

/// Media anchored on Gatehouse, with real endpoints: a SIPp caller on the access side plays Debian's
/// `g711a.pcap`, a SIPp callee on the interconnect side echoes it (`-rtp_echo`), and tshark on `lo` shows what each
/// leg carried.
///
/// Addresses 127.0.0.161–164 belong to these tests: Gatehouse's access realm .161 (media 41000–41999) and
/// interconnect realm .162 (media 42000–42999), the caller .163 and the callee .164 (SIP 5060/5062, media 6000).
@Suite(.serialized)
struct MediaIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static func policy(timeout: String = "10s") throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: media-test }
                realms:
                  access:
                    listen: ["udp://127.0.0.161:5060"]
                    media: { address: 127.0.0.161, ports: 41000-41999, timeout: \(timeout) }
                  interconnect:
                    listen: ["udp://127.0.0.162:5060"]
                    media: { address: 127.0.0.162, ports: 42000-42999, timeout: \(timeout) }
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.163/32"] }
                  carrier: { realm: interconnect, addresses: ["127.0.0.164"], port: 5060, transport: udp }
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                """, file: "media-test.yaml")
    }

    struct CallResult {
        var caller: ExternalProcess.Outcome
        var callee: ExternalProcess.Outcome
        var callerLog: String
        var calleeLog: String
        var activeCalls: Int
        /// `/metrics` once the call's media has been counted.
        var metrics: String
    }

    /// One call through Gatehouse: the callee `uas-NAME` (echoing RTP), the caller `uac-NAME`; `duringCall` runs
    /// once the caller is started, with the caller's message log path.
    static func call(
        caller scenario: String, callee calleeScenario: String, timeout: String = "10s",
        duringCall: @escaping @Sendable (String) async throws -> Void = { _ in }
    ) async throws -> CallResult {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        var logger = Logger(label: "gatehouse.media-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MEDIA_TEST_LOG"] == nil ? .warning : .info
        let node = GatehouseNode(policy: try policy(timeout: timeout), logger: logger, threads: 1)
        return try await node.serving { _ in
            let calleeLog = workspace.directory + "/callee.log"
            let callerLog = workspace.directory + "/caller.log"
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-\(calleeScenario).xml").path, "-i", "127.0.0.164",
                    "-p", "5060", "-mi", "127.0.0.164", "-mp", "6000", "-rtp_echo", "-m", "1", "-nostdin",
                    "-trace_msg", "-message_file", calleeLog,
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.164", 5060)])
            let caller = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uac-\(scenario).xml").path, "127.0.0.161:5060",
                    "-s", "+15551230000", "-i", "127.0.0.163", "-p", "5062", "-mi", "127.0.0.163", "-mp", "6000",
                    "-m", "1", "-nostdin", "-trace_msg", "-message_file", callerLog,
                ])
            defer { caller.stop() }
            try await duringCall(callerLog)
            let callerOutcome = try await caller.finish(within: .seconds(40))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            let metrics = await node.metricsOnceStreamsReported()
            return CallResult(
                caller: callerOutcome, callee: calleeOutcome,
                callerLog: (try? String(contentsOfFile: callerLog, encoding: .utf8)) ?? "",
                calleeLog: (try? String(contentsOfFile: calleeLog, encoding: .utf8)) ?? "",
                activeCalls: await node.activeCallCount(), metrics: metrics)
        }
    }

    /// The caller's RTP reaches the callee and the echo comes back; on the wire each endpoint exchanges media with
    /// Gatehouse's address on its own realm only, and the audio payload crosses unchanged.
    @Test func mediaIsAnchoredOnEachRealmsAddress() async throws {
        // The media of both legs, and the caller's SIP toward Gatehouse (for the time of its BYE). pcap-filter's
        // "and" and "or" bind equally tight, hence the parentheses.
        let capture = try await PacketCapture.start(
            filter: "udp and (host 127.0.0.163 or host 127.0.0.164)"
                + " and ((not port 5060 and not port 5062) or (src host 127.0.0.163 and src port 5062))")
        defer { capture.abandon() }
        let result = try await Self.call(caller: "media", callee: "media")
        let captured = try await capture.stop()
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.activeCalls == 0)

        // SDP: each side sees only Gatehouse's address on its realm.
        #expect(result.calleeLog.contains("c=IN IP4 127.0.0.162"))
        #expect(!result.calleeLog.contains("c=IN IP4 127.0.0.163"))
        #expect(result.callerLog.contains("c=IN IP4 127.0.0.161"))
        #expect(!result.callerLog.contains("c=IN IP4 127.0.0.164"))

        let callerSIP = captured.filter { $0.source == "127.0.0.163" && $0.sourcePort == 5062 }
        let packets = captured.filter { !($0.source == "127.0.0.163" && $0.sourcePort == 5062) }
        let callerLeg = packets.filter { $0.involves("127.0.0.163") }
        let calleeLeg = packets.filter { $0.involves("127.0.0.164") }
        #expect(callerLeg.allSatisfy { $0.involves("127.0.0.161") }, "the caller's leg: \(Set(callerLeg.map(\.route)))")
        #expect(calleeLeg.allSatisfy { $0.involves("127.0.0.162") }, "the callee's leg: \(Set(calleeLeg.map(\.route)))")
        #expect(!packets.contains { $0.involves("127.0.0.163") && $0.involves("127.0.0.164") })

        // The caller hangs up 6 s after it starts playing its 4.7 s of audio. On a loaded machine SIPp's playback
        // lags, and its BYE can cross its own last packets and the callee's echo of them, which Gatehouse rightly
        // drops once the call has ended. Everything sent before that BYE crosses, unchanged and in order.
        let hangUp = try #require(callerSIP.first { $0.payload.hasPrefix("42594520") }?.time, "the caller's BYE")

        let played = callerLeg.filter { $0.source == "127.0.0.163" }
        let relayed = calleeLeg.filter { $0.destination == "127.0.0.164" }.map(\.payload)
        let playedInCall = played.filter { $0.time < hangUp }
        #expect(playedInCall.count >= 100, "the caller played \(playedInCall.count) packets before its BYE")
        #expect(
            relayed.count >= playedInCall.count, "\(relayed.count) relayed of \(playedInCall.count) played in the call")
        #expect(relayed == Array(played.prefix(relayed.count).map(\.payload)), "the caller's packets, unchanged")

        // The callee's RTP toward Gatehouse (version 2 in the first byte's top bits): any other datagram from the
        // callee's address is not media this call relays.
        let fromCallee = calleeLeg.filter { $0.source == "127.0.0.164" }
        let echoed = fromCallee.filter { $0.destination == "127.0.0.162" && "89ab".contains($0.payload.prefix(1)) }
        let returned = callerLeg.filter { $0.destination == "127.0.0.163" }
        #expect(echoed.count >= 100)
        let echoedInCall = echoed.filter { $0.time < hangUp }
        #expect(
            returned.count >= echoedInCall.count && returned.count <= echoed.count,
            """
            \(returned.count) echoes came back of \(echoedInCall.count) sent before the BYE, \(echoed.count) in all; \
            from the callee: \(Set(fromCallee.map(\.route)))
            """)
        #expect(returned.map(\.payload) == Array(echoed.prefix(returned.count).map(\.payload)))
        #expect(returned.allSatisfy { $0.destinationPort == 6000 }, "to the caller's SDP port")

        // What the relay counted reaches /metrics when the stream ends.
        let samples = PrometheusText(result.metrics)
        #expect(samples["gatehouse_media_streams_total"] == 1)
        #expect((samples["gatehouse_media_rtp_packets_total", ["leg": "caller"]] ?? 0) >= Double(relayed.count))
        #expect((samples["gatehouse_media_rtp_packets_total", ["leg": "callee"]] ?? 0) >= Double(returned.count))
        #expect(samples["gatehouse_media_rtp_bytes_total", ["leg": "caller"]] ?? 0 > 0)
    }

    /// A caller behind NAT: its SDP names port 6100 (nothing listens there) and its RTP comes from another port.
    /// Gatehouse learns that port from the first packet and sends the callee's echo there.
    @Test func mediaFromAnotherPortIsLatched() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let natted = RTPEndpoint()
        let socket = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(natted) }
            }
            .bind(host: "127.0.0.163", port: 0).get()
        let result = try await Self.call(caller: "media-nat", callee: "media") { callerLog in
            let port = try await Self.answeredMediaPort(in: callerLog, ignoring: 6100)
            let gatehouse = try SocketAddress(ipAddress: "127.0.0.161", port: port)
            try await Self.sendRTP(count: 50, every: .milliseconds(20), on: socket, to: gatehouse)
        }
        let received = natted.received.withLockedValue { $0 }
        try await socket.close()
        try await group.shutdownGracefully()
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(received.count >= 45, "the echo reached the port the media came from: \(received.count) packets")
        #expect(received.allSatisfy { $0.remoteAddress.ipAddress == "127.0.0.161" })
        #expect(
            received.map { Array($0.data.readableBytesView) }
                == (0..<received.count).map { Array(RTPEndpoint.packet(sequence: UInt16($0)).readableBytesView) })
    }

    /// Neither endpoint sends media: after the realms' 3 s timeout Gatehouse hangs up both legs with a Reason.
    @Test func silentCallsAreHungUp() async throws {
        let started = ContinuousClock.now
        let result = try await Self.call(caller: "media-timeout", callee: "media-timeout", timeout: "3s")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.callerLog.contains("Reason: SIP;cause=408;text=\"Media timeout\""))
        #expect(result.calleeLog.contains("Reason: SIP;cause=408;text=\"Media timeout\""))
        #expect(result.activeCalls == 0)
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    /// Hold and resume (re-INVITEs with `a=sendonly`, then `a=sendrecv`) on an anchored call: the directions pass
    /// through, and each leg keeps seeing the same Gatehouse port for the stream.
    @Test func holdAndResumeKeepTheStream() async throws {
        let result = try await Self.call(caller: "hold-resume", callee: "hold-resume")
        #expect(result.caller.status == 0, "caller:\n\(result.caller.output.suffix(1500))")
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.activeCalls == 0)
        // Both endpoints offer and answer with port 6000; every other m= port in a log is Gatehouse's.
        let towardCallee = Self.audioPorts(in: result.calleeLog).filter { $0 != 6000 }
        let towardCaller = Self.audioPorts(in: result.callerLog).filter { $0 != 6000 }
        #expect(towardCallee.count == 3, "INVITE and two re-INVITEs: \(towardCallee)")
        #expect(Set(towardCallee).count == 1, "one port for the stream: \(towardCallee)")
        #expect(towardCaller.count == 3, "200 and two 200s: \(towardCaller)")
        #expect(Set(towardCaller).count == 1, "one port for the stream: \(towardCaller)")
        #expect(result.calleeLog.contains("a=sendonly"))
        #expect(result.callerLog.contains("a=recvonly"))
        #expect(!result.calleeLog.contains("127.0.0.163"), "nothing of the caller's side in SIP or SDP")
        #expect(!result.callerLog.contains("127.0.0.164"), "nothing of the callee's side in SIP or SDP")
    }

    /// Every `m=audio` port in a SIPp message log, in order.
    static func audioPorts(in log: String) -> [Int] {
        log.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard fields.count > 1, fields[0] == "m=audio" else { return nil }
            return Int(fields[1])
        }
    }

    /// The port Gatehouse's answer (the 200 the caller received) names, once it is in the caller's log.
    /// Sends `count` RTP packets `interval` apart from the socket's own event loop, and returns once the last has
    /// left. Not from the test's task: the suite's load has held those up for seconds, and the call ended before
    /// half the packets were sent.
    static func sendRTP(
        count: Int, every interval: TimeAmount, on channel: Channel, to address: SocketAddress
    )
        async throws
    {
        let sent = NIOLockedValueBox(0)
        let done = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { task in
            let sequence = sent.withLockedValue { sent in
                defer { sent += 1 }
                return sent
            }
            let packet = RTPEndpoint.packet(sequence: UInt16(sequence))
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: packet), promise: nil)
            if sequence + 1 == count {
                task.cancel()
                done.succeed()
            }
        }
        try await done.futureResult.get()
    }

    static func answeredMediaPort(in log: String, ignoring offered: Int) async throws -> Int {
        for _ in 0..<500 {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            let ports = text.split(whereSeparator: \.isNewline)
                .compactMap { line -> Int? in
                    let fields = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
                    guard fields.count > 1, fields[0] == "m=audio" else { return nil }
                    return Int(fields[1])
                }
                .filter { $0 != offered }
            if let port = ports.first { return port }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CaptureError(description: "the caller never received Gatehouse's answer")
    }
}

/// A UDP socket of the test that keeps what it receives.
final class RTPEndpoint: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let received = NIOLockedValueBox<[AddressedEnvelope<ByteBuffer>]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        received.withLockedValue { $0.append(envelope) }
    }

    /// A PCMA RTP packet: 12-byte header, 160 bytes of payload that name the sequence number.
    static func packet(sequence: UInt16) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: [0x80, 8])
        buffer.writeInteger(sequence)
        buffer.writeInteger(UInt32(sequence) * 160)
        buffer.writeInteger(UInt32(0x4741_5445))
        buffer.writeBytes([UInt8](repeating: UInt8(truncatingIfNeeded: sequence), count: 160))
        return buffer
    }
}
