import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import TestSupport
import Testing

/// DTLS-SRTP on the access leg and plain RTP on the interconnect leg, with real endpoints: a baresip caller
/// (`mediaenc=dtls_srtp`, its `dtls_srtp` module; a 440 Hz tone through PCMA) and a SIPp callee playing Debian's
/// `g711a.pcap`; tshark on `lo` records both legs.
///
/// baresip keeps its DTLS-SRTP keys to itself, so the SRTP leg cannot be decrypted here as the SDES test does.
/// What proves the keys agree instead: the handshake's records and certificates in the capture (each side's
/// certificate is the one its SDP's fingerprint names), the caller's audio arriving on the RTP leg as a clean
/// 440 Hz tone under the very RTP headers baresip sent inside SRTP (Gatehouse decrypted it), and baresip's own
/// receive statistics (it decrypted Gatehouse's SRTP without errors). The callee's answer has no `a=rtcp-mux`, so
/// the access leg's RTCP port runs an association of its own (RFC 5764 §4.1), which the capture shows too.
///
/// Addresses 127.0.1.1–4 and ports 62000–62999 belong to this test: Gatehouse's access realm 127.0.1.1 (media
/// 62100–62199) and interconnect realm 127.0.1.2 (media 62200–62299), baresip 127.0.1.3 (RTP 62300–62399), SIPp
/// 127.0.1.4 (media 62400); SIP on 62060 everywhere.
@Suite(.serialized)
struct DTLSSRTPIntegrationTests {
    static let sipPort = 62060

    static let policyText = """
        version: 1
        node: { name: dtls-srtp-test }
        realms:
          access:
            listen: ["udp://127.0.1.1:62060"]
            media:
              address: 127.0.1.1
              ports: 62100-62199
              timeout: 10s
              srtp: { mode: required, key_exchange: [dtls] }
          interconnect:
            listen: ["udp://127.0.1.2:62060"]
            media: { address: 127.0.1.2, ports: 62200-62299, timeout: 10s }
        peers:
          pbx: { realm: access, addresses: ["127.0.1.3/32"] }
          carrier: { realm: interconnect, addresses: ["127.0.1.4"], port: 62060, transport: udp }
        routes:
          - { id: out, match: { from_peer: pbx }, to: "peer:carrier" }
        """

    /// baresip's configuration directory: SIP on 127.0.1.3, PCMA only, DTLS-SRTP through its `dtls_srtp` module
    /// (which offers `UDP/TLS/RTP/SAVPF` with `actpass` and waits for the handshake before sending media), a sine
    /// tone as the microphone, and its RTP statistics printed when the call ends.
    static func writeBaresipConfiguration(in directory: String) throws {
        let config = """
            poll_method\tepoll
            sip_listen\t127.0.1.3:62060
            net_interface\t127.0.1.3
            call_local_timeout\t120
            audio_player\taubridge,gatehouse-dtls-test
            audio_source\tausine,440
            audio_alert\taubridge,gatehouse-dtls-test
            audio_level\tno
            ausrc_srate\t48000
            auplay_srate\t48000
            ausrc_channels\t2
            auplay_channels\t1
            rtp_ports\t62300-62399
            rtcp_mux\tyes
            rtp_stats\tyes
            module_path\t/usr/lib/baresip/modules
            module\tg711.so
            module\tausine.so
            module\taubridge.so
            module\tdtls_srtp.so
            module_app\taccount.so
            module_app\tmenu.so

            """
        try config.write(toFile: directory + "/config", atomically: true, encoding: .utf8)
        try "<sip:pbx@127.0.1.3:62060>;regint=0;mediaenc=dtls_srtp;audio_codecs=PCMA\n"
            .write(toFile: directory + "/accounts", atomically: true, encoding: .utf8)
    }

    @Test func dtlsSRTPOnTheAccessLegPlainRTPOnTheInterconnect() async throws {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let baresip = try #require(ExternalProcess.find("baresip"), "baresip is missing: make test-deps installs it")
        let openssl = try #require(ExternalProcess.find("openssl"), "openssl is missing")
        try #require(
            FileManager.default.fileExists(atPath: "/usr/lib/baresip/modules/dtls_srtp.so"),
            "baresip's dtls_srtp module is missing")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try Self.writeBaresipConfiguration(in: workspace.directory)
        var logger = Logger(label: "gatehouse.dtls-srtp-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MEDIA_TEST_LOG"] == nil ? .warning : .info
        let capture = try await PacketCapture.start(filter: "udp and (host 127.0.1.1 or host 127.0.1.2)")
        defer { capture.abandon() }
        let policy = try PolicyLoader.load(yaml: Self.policyText, file: "dtls-srtp-test.yaml")
        let node = GatehouseNode(policy: policy, logger: logger, threads: 1)
        let (caller, callee, metrics, active) = try await node.serving { _ in
            let callee = try ExternalProcess.start(
                sipp,
                [
                    "-sf", SRTPIntegrationTests.scenarios.appendingPathComponent("uas-media-playback.xml").path,
                    "-i", "127.0.1.4", "-p", "\(Self.sipPort)", "-mi", "127.0.1.4", "-mp", "62400", "-m", "1",
                    "-nostdin",
                ])
            defer { callee.stop() }
            try await callee.waitUntilBound([.udp("127.0.1.4", Self.sipPort)])
            // baresip dials at once and quits (hanging up) after 10 s, when the 4.7 s of playback are over.
            let caller = try ExternalProcess.start(
                baresip, ["-f", workspace.directory, "-e", "/dial sip:+15551230000@127.0.1.1:62060", "-t", "10"])
            defer { caller.stop() }
            let callerOutcome = try await caller.finish(within: .seconds(30))
            let calleeOutcome = try await callee.finish(within: .seconds(10))
            let metrics = await node.metricsOnceStreamsReported()
            return (callerOutcome, calleeOutcome, metrics, await node.activeCallCount())
        }
        let packets = try await capture.stop()
        let callerLog = caller.output.replacingOccurrences(of: "\r", with: "\n")
        #expect(callee.status == 0, "callee:\n\(callee.output.suffix(1500))")
        #expect(active == 0)

        let access = packets.filter { $0.involves("127.0.1.1") }
        let interconnect = packets.filter { $0.involves("127.0.1.2") }
        // Each leg is between its endpoint and Gatehouse's address on that leg's realm. (baresip's media sockets
        // are not bound to its account's address: it sends from 127.0.0.1, and Gatehouse latches there.)
        #expect(
            access.allSatisfy { !$0.involves("127.0.1.2") && !$0.involves("127.0.1.4") },
            "access leg: \(Set(access.map(\.route)))")
        #expect(
            interconnect.allSatisfy {
                $0.involves("127.0.1.4") && !$0.involves("127.0.1.3") && !$0.involves("127.0.0.1")
            }, "interconnect: \(Set(interconnect.map(\.route)))")

        // Signalling: baresip offered DTLS-SRTP with its fingerprint and got Gatehouse's, with Gatehouse opening
        // the association; the callee saw plain RTP and neither fingerprint.
        let accessSIP = access.filter(\.isDTLSTestSignalling).map(\.text)
        let interconnectSIP = interconnect.filter(\.isDTLSTestSignalling).map(\.text)
        let invite = try #require(accessSIP.first { $0.hasPrefix("INVITE ") })
        let answer = try #require(accessSIP.first { $0.hasPrefix("SIP/2.0 200") && $0.contains("m=audio") })
        #expect(invite.contains("UDP/TLS/RTP/SAVP"))
        #expect(answer.contains("UDP/TLS/RTP/SAVP"))
        #expect(answer.contains("a=setup:active"))
        let callerFingerprint = try #require(Self.fingerprint(in: invite))
        let gatehouseFingerprint = try #require(Self.fingerprint(in: answer))
        #expect(callerFingerprint != gatehouseFingerprint)
        let gatehouseMediaPort = try #require(Self.audioPort(in: answer))
        let calleeInvite = try #require(interconnectSIP.first { $0.hasPrefix("INVITE ") })
        #expect(calleeInvite.contains(" RTP/AVP"))
        for text in interconnectSIP {
            #expect(!text.contains("UDP/TLS") && !text.contains("a=fingerprint") && !text.contains("a=setup"))
            #expect(!text.uppercased().contains(callerFingerprint), "no caller fingerprint on the interconnect")
        }

        // The handshake on the access leg, between Gatehouse's media port and baresip: Gatehouse's ClientHello,
        // baresip's ServerHello, a certificate each way (each the one its SDP's fingerprint names), and both sides'
        // ChangeCipherSpec.
        let handshake = access.filter { $0.bytes.first.map { (20...63).contains($0) } ?? false }
        let fromGatehouse = handshake.filter { $0.source == "127.0.1.1" && $0.sourcePort == gatehouseMediaPort }
        let fromCaller = handshake.filter { $0.destination == "127.0.1.1" && $0.destinationPort == gatehouseMediaPort }
        let gatehouseRecords = fromGatehouse.flatMap { DTLSRecord.records(in: $0.bytes) }
        let callerRecords = fromCaller.flatMap { DTLSRecord.records(in: $0.bytes) }
        #expect(gatehouseRecords.contains { $0.handshakeType == 1 }, "Gatehouse's ClientHello")
        #expect(callerRecords.contains { $0.handshakeType == 2 }, "baresip's ServerHello")
        #expect(gatehouseRecords.contains { $0.contentType == 20 } && callerRecords.contains { $0.contentType == 20 })
        #expect(!gatehouseRecords.contains { $0.contentType == 21 && $0.epoch == 0 }, "no alert from Gatehouse")
        let callerCertificate = try #require(DTLSRecord.certificate(in: callerRecords))
        let gatehouseCertificate = try #require(DTLSRecord.certificate(in: gatehouseRecords))
        #expect(try await Self.sha256Fingerprint(of: callerCertificate, openssl: openssl) == callerFingerprint)
        #expect(try await Self.sha256Fingerprint(of: gatehouseCertificate, openssl: openssl) == gatehouseFingerprint)
        #expect(callerLog.contains("verified sha-256 fingerprint OK"), "baresip:\n\(callerLog.suffix(3000))")
        #expect(callerLog.contains("DTLS-SRTP complete"))

        // Media, callee → caller: SIPp's RTP crosses to baresip as SRTP, with no run of its audio in the clear;
        // baresip decrypted every packet it got (its statistics count only packets that passed SRTP).
        let played = interconnect.filter { $0.source == "127.0.1.4" && $0.isDTLSTestRTP }.map(\.bytes)
        let protected = access.filter { $0.source == "127.0.1.1" && $0.isDTLSTestRTP }.map(\.bytes)
        #expect(played.count >= 200, "the callee played \(played.count) packets")
        // Packets played before the handshake completed are dropped, not sent in the clear.
        #expect(protected.count >= played.count - 75, "\(protected.count) of \(played.count) reached the caller")
        #expect(protected.allSatisfy { $0.count >= 12 + 160 + 10 }, "each packet carries SRTP's 80-bit tag")
        let calleeAudio = Set(played.flatMap(Self.audioChunks))
        #expect(calleeAudio.count > 100)
        #expect(!protected.contains { $0.containsRun(of: calleeAudio) }, "no plaintext audio of the callee")
        let statistics = try #require(Self.receiveStatistics(in: callerLog), "baresip:\n\(callerLog.suffix(2000))")
        #expect(statistics.errors == 0)
        #expect(statistics.received >= protected.count - 5, "baresip decrypted \(statistics.received)")

        // Media, caller → callee: baresip's SRTP crosses to SIPp as plain RTP under the same headers, its payload
        // a 440 Hz tone (which only decryption with the right key can give), and none of it in the clear on the
        // SRTP leg. baresip 1.0 starts sending as soon as either of its associations completes: when the RTCP
        // port's finishes first, it sends plain RTP (12 + 160 bytes) on the RTP port until that one does too.
        // Gatehouse cannot authenticate those and drops them: the interconnect carries only what came as SRTP.
        let sent = access.filter { $0.destination == "127.0.1.1" && $0.isDTLSTestRTP }.map(\.bytes)
        let sentAsSRTP = sent.filter { $0.count == 12 + 160 + 10 }
        let sentInTheClear = sent.filter { $0.count == 12 + 160 }
        let relayed = interconnect.filter { $0.destination == "127.0.1.4" && $0.isDTLSTestRTP }.map(\.bytes)
        #expect(sentAsSRTP.count + sentInTheClear.count == sent.count)
        #expect(sentAsSRTP.count >= 200, "baresip sent \(sentAsSRTP.count) SRTP packets:\n\(callerLog.suffix(3000))")
        #expect(relayed.count == sentAsSRTP.count, "\(relayed.count) of \(sentAsSRTP.count) relayed")
        #expect(
            zip(sentAsSRTP, relayed).allSatisfy { $0.prefix(12) == $1.prefix(12) },
            "the interconnect carries each SRTP packet's RTP, less its tag")
        let clearHeaders = Set(sentInTheClear.map { Array($0.prefix(12)) })
        #expect(!relayed.contains { clearHeaders.contains(Array($0.prefix(12))) }, "nothing unauthenticated crosses")
        let samples = relayed.dropFirst(50).prefix(50).flatMap { $0.dropFirst(12).map(Self.aLawToLinear) }
        #expect(samples.count == 8000)
        let tone = Self.toneShare(440, in: samples)
        let elsewhere = Self.toneShare(1000, in: samples)
        #expect(tone > 0.8 && elsewhere < 0.01, "440 Hz holds \(tone) of the energy, 1 kHz \(elsewhere)")
        let callerAudio = Set(relayed.flatMap(Self.audioChunks))
        #expect(!sentAsSRTP.contains { $0.containsRun(of: callerAudio) }, "no plaintext audio in the caller's SRTP")

        // SIPp's answer has no a=rtcp-mux, so the access leg does not multiplex RTCP either (Gatehouse passes the
        // line through): its RTCP port ran a handshake of its own (RFC 5764 §4.1).
        let rtcpRecords = access.filter {
            ($0.source == "127.0.1.1" && $0.sourcePort == gatehouseMediaPort + 1)
                || ($0.destination == "127.0.1.1" && $0.destinationPort == gatehouseMediaPort + 1)
        }.filter { $0.bytes.first.map { (20...63).contains($0) } ?? false }.flatMap { DTLSRecord.records(in: $0.bytes) }
        #expect(!answer.contains("a=rtcp-mux"))
        #expect(rtcpRecords.contains { $0.handshakeType == 1 } && rtcpRecords.contains { $0.handshakeType == 2 })
        #expect(callerLog.contains("DTLS-SRTP complete (audio/RTCP)"))

        // Gatehouse's counters: everything baresip sent as SRTP authenticated and was counted as media. The only
        // authentication failures are baresip's packets in the clear that reach Gatehouse after its own side of the
        // handshake completed (before it, they count as dropped, not as failures): how many is a race.
        let exposition = PrometheusText(metrics)
        #expect(
            (exposition["gatehouse_media_srtp_auth_failures_total", ["leg": "caller"]] ?? 0)
                <= Double(sentInTheClear.count))
        #expect(
            (exposition["gatehouse_media_rtp_packets_total", ["leg": "caller"]] ?? 0) >= Double(sentAsSRTP.count))
    }

    // MARK: Reading the capture

    /// The `a=fingerprint:sha-256` value of an SDP body, upper-cased.
    static func fingerprint(in message: String) -> String? {
        message.split(whereSeparator: \.isNewline).lazy.compactMap { line -> String? in
            guard line.lowercased().hasPrefix("a=fingerprint:sha-256 ") else { return nil }
            return line.dropFirst("a=fingerprint:sha-256 ".count).trimmingCharacters(in: .whitespaces).uppercased()
        }.first
    }

    static func audioPort(in message: String) -> Int? {
        message.split(whereSeparator: \.isNewline).lazy.compactMap { line -> Int? in
            guard line.hasPrefix("m=audio ") else { return nil }
            return Int(line.split(separator: " ")[1])
        }.first
    }

    /// `openssl x509`'s SHA-256 fingerprint of a DER certificate, in SDP's form.
    static func sha256Fingerprint(of certificate: [UInt8], openssl: String) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-dtls-\(UUID().uuidString).der")
        try Data(certificate).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ExternalProcess.run(
            openssl, ["x509", "-inform", "DER", "-in", file.path, "-noout", "-fingerprint", "-sha256"])
        return String(result.output.split(separator: "=").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            .uppercased()
    }

    /// baresip's `rtp_stats` table at hang-up: the audio packets it received (after SRTP) and its receive errors.
    static func receiveStatistics(in log: String) -> (received: Int, errors: Int)? {
        func row(_ name: String) -> Int? {
            log.split(whereSeparator: \.isNewline).lazy.compactMap { line -> Int? in
                let fields = line.split(whereSeparator: \.isWhitespace)
                guard fields.count == 3, fields[0] == name else { return nil }
                return Int(fields[2])
            }.first
        }
        guard let received = row("packets:"), let errors = row("errors:") else { return nil }
        return (received, errors)
    }

    /// A packet's payload (after the 12-byte header SIPp and baresip write) in 32-byte pieces.
    static func audioChunks(_ packet: [UInt8]) -> [[UInt8]] {
        let payload = Array(packet.dropFirst(12))
        return stride(from: 0, through: payload.count - 32, by: 32).map { Array(payload[$0..<($0 + 32)]) }
    }

    /// ITU-T G.711 A-law to a linear sample.
    static func aLawToLinear(_ byte: UInt8) -> Int {
        let value = byte ^ 0x55
        let segment = Int(value & 0x70) >> 4
        var magnitude = Int(value & 0x0F) << 4
        magnitude += segment == 0 ? 8 : 0x108
        if segment > 1 { magnitude <<= segment - 1 }
        return value & 0x80 != 0 ? magnitude : -magnitude
    }

    /// The share of the samples' energy (8 kHz) at `frequency` (Goertzel): 1 for a pure tone there, near 0 for
    /// a tone elsewhere or noise.
    static func toneShare(_ frequency: Double, in samples: [Int]) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / 8000)
        var (previous, beforePrevious) = (0.0, 0.0)
        var energy = 0.0
        for sample in samples {
            let x = Double(sample)
            energy += x * x
            (previous, beforePrevious) = (x + coefficient * previous - beforePrevious, previous)
        }
        let power = previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
        guard energy > 0 else { return 0 }
        return power / (Double(samples.count) * energy / 2)
    }
}

/// A DTLS record as the capture shows it (RFC 6347 §4.1), with the handshake message header when it is one.
struct DTLSRecord {
    var contentType: UInt8
    var epoch: UInt16
    var fragment: [UInt8]

    /// Handshake records of epoch 0 are in the clear; later ones are encrypted.
    var handshakeType: UInt8? {
        contentType == 22 && epoch == 0 && !fragment.isEmpty ? fragment[0] : nil
    }

    static func records(in datagram: [UInt8]) -> [DTLSRecord] {
        var records: [DTLSRecord] = []
        var offset = 0
        while offset + 13 <= datagram.count {
            let length = Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12])
            guard offset + 13 + length <= datagram.count else { break }
            records.append(
                DTLSRecord(
                    contentType: datagram[offset],
                    epoch: UInt16(datagram[offset + 3]) << 8 | UInt16(datagram[offset + 4]),
                    fragment: Array(datagram[(offset + 13)..<(offset + 13 + length)])))
            offset += 13 + length
        }
        return records
    }

    /// The leaf certificate (DER) of the Certificate message (type 11) among `records`, its fragments put
    /// together (a retransmitted flight repeats them; the same bytes land in the same place).
    static func certificate(in records: [DTLSRecord]) -> [UInt8]? {
        var body: [UInt8] = []
        for record in records where record.handshakeType == 11 && record.fragment.count >= 12 {
            let header = record.fragment
            let total = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            let offset = Int(header[6]) << 16 | Int(header[7]) << 8 | Int(header[8])
            let length = Int(header[9]) << 16 | Int(header[10]) << 8 | Int(header[11])
            guard header.count >= 12 + length, offset + length <= total else { continue }
            if body.count < total { body = [UInt8](repeating: 0, count: total) }
            body.replaceSubrange(offset..<(offset + length), with: header[12..<(12 + length)])
        }
        // certificate_list length (3), then the first certificate's length (3) and its DER.
        guard body.count >= 6 else { return nil }
        let first = Int(body[3]) << 16 | Int(body[4]) << 8 | Int(body[5])
        guard body.count >= 6 + first else { return nil }
        return Array(body[6..<(6 + first)])
    }
}

extension PacketCapture.Datagram {
    fileprivate var isDTLSTestSignalling: Bool {
        sourcePort == DTLSSRTPIntegrationTests.sipPort || destinationPort == DTLSSRTPIntegrationTests.sipPort
    }

    /// RTP or SRTP (version 2, not an RTCP packet type, RFC 5761 §4), not SIP.
    fileprivate var isDTLSTestRTP: Bool {
        let bytes = self.bytes
        return !isDTLSTestSignalling && bytes.count >= 12 && bytes[0] >> 6 == 2 && !(192...223).contains(bytes[1])
    }
}

extension Array where Element == UInt8 {
    /// Whether any run of 32 bytes anywhere in the packet is one of `chunks` (32-byte pieces of plain audio).
    fileprivate func containsRun(of chunks: Set<[UInt8]>) -> Bool {
        guard count >= 32 else { return false }
        return (0...(count - 32)).contains { chunks.contains(Array(self[$0..<($0 + 32)])) }
    }
}
