import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import Media
import NIOCore
import SDP
import TestSupport
import Testing

/// SDES-SRTP on the access leg and plain RTP on the interconnect leg, with real endpoints: a baresip caller
/// (`mediaenc=srtp-mand`, a 440 Hz tone through PCMA) and a SIPp callee playing Debian's `g711a.pcap`; tshark on
/// `lo` records both legs. The keys each side announced are read from the capture's SDP, so the test can decrypt the
/// SRTP leg and compare it with the RTP leg byte for byte.
///
/// Addresses 127.0.0.25–28 belong to these tests: Gatehouse's access realm .25 (media 49000–49499) and
/// interconnect realm .26 (media 49500–49999), baresip .27 (RTP 48500–48599), SIPp .28 (media 48600).
@Suite(.serialized)
struct SRTPIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    /// The access realm's `srtp` is `required`, or `off` for a plain call.
    static func policy(accessSRTP: String) throws -> Policy {
        try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: srtp-test }
                realms:
                  access:
                    listen: ["udp://127.0.0.25:5060"]
                    media: { address: 127.0.0.25, ports: 49000-49499, timeout: 10s, srtp: \(accessSRTP) }
                  interconnect:
                    listen: ["udp://127.0.0.26:5060"]
                    media: { address: 127.0.0.26, ports: 49500-49999, timeout: 10s }
                peers:
                  pbx: { realm: access, addresses: ["127.0.0.27/32"] }
                  carrier: { realm: interconnect, addresses: ["127.0.0.28"], port: 5060, transport: udp }
                routes:
                  - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
                """, file: "srtp-test.yaml")
    }

    /// baresip's configuration directory: SIP on .27, PCMA only, SRTP mandatory, a sine tone as the microphone
    /// and the audio bridge as a speaker that plays to nobody.
    static func writeBaresipConfiguration(in directory: String, srtp: Bool) throws {
        let config = """
            poll_method\tepoll
            sip_listen\t127.0.0.27:5060
            net_interface\t127.0.0.27
            call_local_timeout\t120
            audio_player\taubridge,gatehouse-test
            audio_source\tausine,440
            audio_alert\taubridge,gatehouse-test
            audio_level\tno
            ausrc_srate\t48000
            auplay_srate\t48000
            ausrc_channels\t2
            auplay_channels\t1
            rtp_ports\t48500-48599
            rtcp_mux\tno
            rtp_stats\tno
            module_path\t/usr/lib/baresip/modules
            module\tg711.so
            module\tausine.so
            module\taubridge.so
            module\tsrtp.so
            module_app\taccount.so
            module_app\tmenu.so

            """
        try config.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        try "<sip:pbx@127.0.0.27>;regint=0;\(srtp ? "mediaenc=srtp-mand;" : "")audio_codecs=PCMA\n"
            .write(toFile: directory + "/accounts", atomically: true, encoding: .utf8)
    }

    struct CallResult {
        var caller: ExternalProcess.Outcome
        var callee: ExternalProcess.Outcome
        var packets: [PacketCapture.Datagram]
        var metrics: String
        var activeCalls: Int
    }

    static func call(srtp: Bool) async throws -> CallResult {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let baresip = try #require(ExternalProcess.find("baresip"), "baresip is missing: make test-deps installs it")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try writeBaresipConfiguration(in: workspace.directory, srtp: srtp)
        var logger = Logger(label: "gatehouse.srtp-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MEDIA_TEST_LOG"] == nil ? .warning : .info
        let capture = try await PacketCapture.start(filter: "udp and (host 127.0.0.25 or host 127.0.0.26)")
        defer { capture.abandon() }
        let node = GatehouseNode(policy: try policy(accessSRTP: srtp ? "required" : "off"), logger: logger, threads: 1)
        let (caller, callee, metrics, active) = try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-media-playback.xml").path, "-i", "127.0.0.28",
                    "-p", "5060", "-mi", "127.0.0.28", "-mp", "48600", "-m", "1", "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.0.28", 5060)])
            // baresip dials at once and quits (hanging up) after 10 s, when the 4.7 s of playback are over.
            let caller = try ExternalProcess.start(
                baresip, ["-f", workspace.directory, "-e", "/dial sip:+15551230000@127.0.0.25", "-t", "10"])
            defer { caller.stop() }
            let callerOutcome = try await caller.finish(within: .seconds(30))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            let metrics = await node.metricsOnceStreamsReported()
            return (callerOutcome, calleeOutcome, metrics, await node.activeCallCount())
        }
        let packets = try await capture.stop()
        return CallResult(caller: caller, callee: callee, packets: packets, metrics: metrics, activeCalls: active)
    }

    @Test func srtpOnTheAccessLegPlainRTPOnTheInterconnect() async throws {
        let result = try await Self.call(srtp: true)
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.activeCalls == 0)

        let access = result.packets.filter { $0.involves("127.0.0.25") }
        let interconnect = result.packets.filter { $0.involves("127.0.0.26") }
        // Each leg is between its endpoint and Gatehouse's address on that leg's realm. (baresip's media sockets
        // are not bound to its account's address: it sends RTP and RTCP from 127.0.0.1, and Gatehouse latches
        // there.)
        #expect(
            access.allSatisfy { !$0.involves("127.0.0.26") && !$0.involves("127.0.0.28") },
            "access leg: \(Set(access.map(\.route)))")
        #expect(
            interconnect.allSatisfy { $0.involves("127.0.0.28") && !$0.involves("127.0.0.27") },
            "interconnect: \(Set(interconnect.map(\.route)))")

        // Signalling: baresip offered SRTP with its key and got Gatehouse's; the callee saw plain RTP/AVP and
        // neither key.
        let accessSIP = access.filter { $0.isSIP }.map(\.text)
        let interconnectSIP = interconnect.filter { $0.isSIP }.map(\.text)
        let invite = try #require(accessSIP.first { $0.hasPrefix("INVITE ") && $0.contains("a=crypto:") })
        let answer = try #require(accessSIP.first { $0.hasPrefix("SIP/2.0 200") && $0.contains("a=crypto:") })
        #expect(answer.contains("RTP/SAVP"))
        let callerLine = try #require(Self.crypto(in: invite))
        let gatehouseLine = try #require(Self.crypto(in: answer))
        #expect(gatehouseLine.tag == callerLine.tag && gatehouseLine.suite == callerLine.suite)
        let callerKey = try #require(Self.key(callerLine))
        let gatehouseKey = try #require(Self.key(gatehouseLine))
        #expect(callerKey != gatehouseKey)
        let calleeInvite = try #require(interconnectSIP.first { $0.hasPrefix("INVITE ") })
        #expect(calleeInvite.contains(" RTP/AVP "))
        #expect(!calleeInvite.contains("a=crypto"))
        for text in interconnectSIP {
            for line in [callerLine, gatehouseLine] {
                #expect(!text.contains(line.keyParameters[0].keySalt), "no access-leg key on the interconnect")
            }
        }

        // Media, callee → caller: SIPp's RTP crosses to baresip as SRTP under Gatehouse's key.
        let played = interconnect.filter { $0.source == "127.0.0.28" && $0.isRTP }.map(\.bytes)
        let protected = access.filter { $0.source == "127.0.0.25" && $0.isRTP }.map(\.bytes)
        #expect(played.count >= 200, "the callee played \(played.count) packets")
        #expect(protected.count >= played.count - 5, "\(protected.count) of \(played.count) reached the caller")
        let fromGatehouse = try SRTPContext(key: gatehouseKey, direction: .inbound)
        let decrypted = protected.compactMap { Self.unprotect($0, with: fromGatehouse) }
        #expect(decrypted.count == protected.count, "every packet toward the caller authenticates")
        #expect(
            decrypted.elementsEqual(played.prefix(decrypted.count)), "the callee's RTP, unchanged inside the SRTP")
        let payloads = Set(played.map { Array($0.dropFirst(12).prefix(32)) })
        #expect(
            !protected.contains { $0.containsWindow(of: payloads) }, "no plaintext audio of the callee on the SRTP leg")

        // Media, caller → callee: baresip's SRTP crosses to SIPp as the plain RTP inside it.
        let sent = access.filter { $0.destination == "127.0.0.25" && $0.isRTP }.map(\.bytes)
        let relayed = interconnect.filter { $0.destination == "127.0.0.28" && $0.isRTP }.map(\.bytes)
        #expect(sent.count >= 200, "baresip sent \(sent.count) packets:\n\(result.caller.output.suffix(3000))")
        let fromCaller = try SRTPContext(key: callerKey, direction: .inbound)
        let plain = sent.compactMap { Self.unprotect($0, with: fromCaller) }
        #expect(plain.count == sent.count)
        #expect(
            relayed.count == plain.count && relayed.elementsEqual(plain),
            "the interconnect leg carries the caller's audio unchanged (\(relayed.count) of \(plain.count))")
        let callerAudio = Set(relayed.map { Array($0.dropFirst(12).prefix(32)) })
        #expect(
            !sent.contains { $0.containsWindow(of: callerAudio) }, "no plaintext audio of the caller on the SRTP leg")

        let samples = PrometheusText(result.metrics)
        #expect(samples["gatehouse_media_srtp_auth_failures_total", ["leg": "caller"]] == 0)
        #expect(samples["gatehouse_media_srtp_replays_total", ["leg": "caller"]] == 0)
        #expect((samples["gatehouse_media_rtp_packets_total", ["leg": "caller"]] ?? 0) >= Double(sent.count))
    }

    /// The same call with plain RTP on both legs (`srtp: off`, baresip without media encryption): each leg carries
    /// the other's packets byte for byte, and no SDP has a key.
    @Test func plainRTPOnBothLegs() async throws {
        let result = try await Self.call(srtp: false)
        #expect(result.callee.status == 0, "callee:\n\(result.callee.output.suffix(1500))")
        #expect(result.activeCalls == 0)
        let access = result.packets.filter { $0.involves("127.0.0.25") }
        let interconnect = result.packets.filter { $0.involves("127.0.0.26") }
        #expect(access.allSatisfy { !$0.involves("127.0.0.26") && !$0.involves("127.0.0.28") })
        #expect(interconnect.allSatisfy { $0.involves("127.0.0.28") && !$0.involves("127.0.0.27") })
        let signalling = result.packets.filter { $0.isSIP }.map(\.text)
        #expect(signalling.contains { $0.hasPrefix("INVITE ") && $0.contains(" RTP/AVP ") })
        #expect(!signalling.contains { $0.contains("a=crypto") })

        let played = interconnect.filter { $0.source == "127.0.0.28" && $0.isRTP }.map(\.bytes)
        let delivered = access.filter { $0.source == "127.0.0.25" && $0.isRTP }.map(\.bytes)
        #expect(played.count >= 200, "the callee played \(played.count) packets")
        #expect(delivered.count == played.count && delivered.elementsEqual(played), "the callee's RTP, unchanged")
        let sent = access.filter { $0.destination == "127.0.0.25" && $0.isRTP }.map(\.bytes)
        let relayed = interconnect.filter { $0.destination == "127.0.0.28" && $0.isRTP }.map(\.bytes)
        #expect(sent.count >= 200, "baresip sent \(sent.count) packets:\n\(result.caller.output.suffix(3000))")
        #expect(relayed.count == sent.count && relayed.elementsEqual(sent), "the caller's RTP, unchanged")
    }

    static func crypto(in message: String) -> CryptoAttribute? {
        message.split(whereSeparator: \.isNewline).lazy.compactMap { line -> CryptoAttribute? in
            guard line.hasPrefix("a=crypto:") else { return nil }
            return CryptoAttribute(attributeValue: String(line.dropFirst("a=crypto:".count)))
        }.first
    }

    static func key(_ line: CryptoAttribute) -> SRTPMasterKey? {
        guard let suite = SRTPCryptoSuite(line.suite), let bytes = try? line.inlineKeySalt() else { return nil }
        return SRTPMasterKey(suite: suite, keySalt: bytes)
    }

    static func unprotect(_ packet: [UInt8], with context: SRTPContext) -> [UInt8]? {
        var buffer = ByteBuffer(bytes: packet)
        guard context.unprotect(&buffer, isRTCP: false) == .ok else { return nil }
        return Array(buffer.readableBytesView)
    }
}

extension PacketCapture.Datagram {
    var bytes: [UInt8] {
        var bytes: [UInt8] = []
        var high: UInt8?
        for character in payload.utf8 {
            guard let nibble = character.hexNibble else { continue }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    var isSIP: Bool { sourcePort == 5060 || destinationPort == 5060 }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// RTP (or SRTP): version 2 and not an RTCP packet type (RFC 5761 §4).
    var isRTP: Bool {
        let bytes = self.bytes
        return !isSIP && bytes.count >= 12 && bytes[0] >> 6 == 2 && !(192...223).contains(bytes[1])
    }
}

extension UInt8 {
    fileprivate var hexNibble: UInt8? {
        switch self {
        case 0x30...0x39: self - 0x30
        case 0x61...0x66: self - 0x61 + 10
        case 0x41...0x46: self - 0x41 + 10
        default: nil
        }
    }
}

extension Array where Element == UInt8 {
    /// Whether any run of 32 bytes anywhere in the packet is one of `chunks` (32-byte pieces of plain audio).
    fileprivate func containsWindow(of chunks: Set<[UInt8]>) -> Bool {
        guard count >= 32 else { return false }
        return (0...(count - 32)).contains { chunks.contains(Array(self[$0..<($0 + 32)])) }
    }
}
