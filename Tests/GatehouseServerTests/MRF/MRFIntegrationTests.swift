import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import Media
import TestSupport
import Testing

/// The MRF reached over SIP, with SIPp callers: an announcement's RTP decodes to the file's audio and Gatehouse
/// hangs up after it; a menu takes an RFC 4733 digit; a conference sends each participant the others and not
/// themselves; a route leads to a PSI; an unknown announcement is refused.
///
/// Addresses and ports of these tests: Gatehouse's access realm 127.0.1.31 (SIP udp 64060, media 64100–64199),
/// callers 127.0.1.33–127.0.1.35 (SIP 64062, media 64200).
@Suite(.serialized)
struct MRFIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")
    static let gatehouse = "127.0.1.31"
    static let domain = "mrf.test"

    /// 1 s of 440 Hz, then 0.5 s of 1 kHz at a lower level: 12000 samples, 75 frames of 20 ms.
    static let announcement: [Int16] =
        (0..<8000).map { Int16(12000 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
        + (0..<4000).map { Int16(5000 * sin(2 * Double.pi * 1000 * Double($0) / 8000)) }

    /// A mono 8 kHz 16-bit PCM WAV file of `samples`.
    static func wav(_ samples: [Int16]) -> Data {
        func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        let data = samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
        var bytes = Array("RIFF".utf8) + le32(36 + data.count) + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(8000) + le32(16000) + le16(2) + le16(16)
        bytes += Array("data".utf8) + le32(data.count) + data
        return Data(bytes)
    }

    /// The MRF's policy; with `ims`, an embedded core too, whose subscriber bob (never registered) has a
    /// terminating-unregistered criterion leading to the `unreachable` announcement.
    static func policy(directory: String, ims: Bool = false) throws -> Policy {
        let core = """
            ims:
              domain: ims.test
              hss: embedded
              subscribers:
                - private_identity: bob@ims.test
                  public_identities: [sip:bob@ims.test, "tel:+15550100002"]
                  digest: { password: bob-secret }
                  service_profiles:
                    - name: default
                      ifc:
                        - priority: 1
                          trigger: { all: [[{ method: INVITE }], [{ session_case: terminating-unregistered }]] }
                          application_server: "sip:announce=hello@\(domain)"

            """
        return try PolicyLoader.load(
            yaml: (ims ? core : "")
                + """
                version: 1
                node: { name: mrf-test\(ims ? ", state: \"sqlite:\(directory)/state.db\"" : "") }
                realms:
                  access:
                    listen: ["udp://\(gatehouse):64060"]
                    media: { address: \(gatehouse), ports: 64100-64199, timeout: 20s }
                peers:
                  phones: { realm: access, addresses: ["127.0.1.32/30"] }
                routes:
                  - { id: closed, match: { user: "closed" }, to: "sip:announce=hello@\(domain)" }\(ims ? "\n  - { id: ims, match: { number_prefix: \"+1555010\" }, to: ims }" : "")
                mrf:
                  domain: \(domain)
                  announcements: { hello: \(directory)/hello.wav, hours: \(directory)/hours.wav }
                  menus:
                    main: { prompt: hello, digits: { "1": announce=hours }, timeout: 5s, attempts: 1 }
                """, file: "mrf-test.yaml")
    }

    struct Caller {
        var address: String
        var scenario: String
        var service: String
        /// Started this long after the previous caller.
        var delay: Duration = .zero
    }

    struct Outcome {
        var callers: [ExternalProcess.Outcome]
        var logs: [String]
        var packets: [PacketCapture.Datagram]
        var counters: NodeCounters.Snapshot
        var activeCalls: Int
    }

    /// Runs the callers against a node with the MRF, capturing their media.
    static func run(_ callers: [Caller], ims: Bool = false) async throws -> Outcome {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try wav(announcement).write(to: URL(fileURLWithPath: workspace.directory + "/hello.wav"))
        try wav(Array(announcement[8000...])).write(to: URL(fileURLWithPath: workspace.directory + "/hours.wav"))
        var logger = Logger(label: "gatehouse.mrf-test")
        logger.logLevel = ProcessInfo.processInfo.environment["MRF_TEST_LOG"] == nil ? .warning : .debug
        let node = GatehouseNode(
            policy: try policy(directory: workspace.directory, ims: ims), logger: logger, threads: 1)
        let capture = try await PacketCapture.start(filter: "udp and host \(gatehouse) and portrange 64100-64200")
        defer { capture.abandon() }
        return try await node.serving { _ in
            var running: [ExternalProcess.Running] = []
            defer { for process in running { process.stop() } }
            for (index, caller) in callers.enumerated() {
                try await Task.sleep(for: caller.delay)
                running.append(
                    try ExternalProcess.start(
                        sipp,
                        [
                            "-sf", scenarios.appendingPathComponent("\(caller.scenario).xml").path,
                            "\(gatehouse):64060", "-s", caller.service, "-i", caller.address, "-p", "64062",
                            "-mi", caller.address, "-mp", "64200", "-m", "1", "-nostdin", "-trace_msg",
                            "-message_file", workspace.directory + "/caller-\(index).log",
                        ]))
            }
            var outcomes: [ExternalProcess.Outcome] = []
            for process in running { outcomes.append(try await process.finish(within: .seconds(40))) }
            let packets = try await capture.stop()
            _ = await eventually(.seconds(5)) { await node.activeMRFCallCount() == 0 }
            return Outcome(
                callers: outcomes,
                logs: callers.indices.map {
                    (try? String(contentsOfFile: workspace.directory + "/caller-\($0).log", encoding: .utf8)) ?? ""
                }, packets: packets, counters: node.counters.snapshot, activeCalls: await node.activeMRFCallCount())
        }
    }

    /// The RTP payloads Gatehouse sent to `address`'s media port, in the order they went.
    static func frames(to address: String, in packets: [PacketCapture.Datagram]) -> [[UInt8]] {
        packets.filter { $0.source == gatehouse && $0.destination == address && $0.destinationPort == 64200 }
            .compactMap { RTPDatagram(bytes: hexBytes($0.payload))?.payload }
    }

    /// What `address` received, decoded, from the first frame that is not silence.
    static func received(by address: String, in packets: [PacketCapture.Datagram], law: G711Law) -> [Int16] {
        frames(to: address, in: packets).drop { frame in frame.allSatisfy { $0 == law.silence } }
            .flatMap { law.decode($0) }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex), next > index {
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return [] }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    /// Whether `received` starts with `samples`, within G.711's quantization (as `AnnouncementPlaybackTests`).
    static func matches(_ received: [Int16], _ samples: [Int16]) -> Bool {
        guard received.count >= samples.count else { return false }
        return zip(samples, received).allSatisfy { sent, got in abs(Int(got) - Int(sent)) <= abs(Int(sent)) / 32 + 16 }
    }

    @Test func anAnnouncementPlaysOnceAndGatehouseHangsUp() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.33", scenario: "uac-mrf-announcement", service: "announce=hello@\(Self.domain)")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        #expect(outcome.logs[0].contains("c=IN IP4 \(Self.gatehouse)"))
        #expect(outcome.logs[0].contains("a=rtpmap:0 PCMU/8000"))
        #expect(outcome.logs[0].contains("BYE sip:caller@127.0.1.33:64062"))
        let received = Self.received(by: "127.0.1.33", in: outcome.packets, law: .muLaw)
        #expect(Self.matches(received, Self.announcement), "received \(received.count) samples")
        #expect(received.dropFirst(Self.announcement.count).allSatisfy { abs(Int($0)) <= 8 }, "silence after it")
        #expect(outcome.counters.mrf["answered-announce"] == 1)
        #expect(outcome.counters.mrf["bye-sent"] == 1)
        #expect(outcome.activeCalls == 0)
    }

    /// A route's target is a PSI: `closed@127.0.1.31` plays the announcement.
    @Test func aRouteLeadsToAnAnnouncement() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.34", scenario: "uac-mrf-announcement", service: "closed@\(Self.gatehouse):64060")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        let received = Self.received(by: "127.0.1.34", in: outcome.packets, law: .muLaw)
        #expect(Self.matches(received, Self.announcement), "received \(received.count) samples")
        #expect(outcome.counters.mrf["bye-sent"] == 1)
    }

    /// An unregistered callee's terminating criterion names a PSI as its AS: the MRF answers the call with the
    /// announcement.
    @Test func aFilterCriterionLeadsUnreachableCallsToAnAnnouncement() async throws {
        let outcome = try await Self.run(
            [
                Caller(
                    address: "127.0.1.33", scenario: "uac-mrf-announcement",
                    service: "+15550100002@\(Self.gatehouse):64060")
            ], ims: true)
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        let received = Self.received(by: "127.0.1.33", in: outcome.packets, law: .muLaw)
        #expect(Self.matches(received, Self.announcement), "received \(received.count) samples")
        #expect(outcome.counters.mrf["answered-announce"] == 1)
    }

    /// The prompt plays, the caller types 1, and the choice's announcement (the 1 kHz part) plays before the BYE.
    @Test func aMenuTakesADigit() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.35", scenario: "uac-mrf-menu", service: "menu=main@\(Self.domain)")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        let received = Self.received(by: "127.0.1.35", in: outcome.packets, law: .muLaw)
        #expect(Self.matches(received, Self.announcement), "the prompt: \(received.count) samples")
        let hours = Array(Self.announcement[8000...])
        let afterPrompt = Array(received.dropFirst(Self.announcement.count))
        let start = afterPrompt.firstIndex { abs(Int($0)) > 8 } ?? afterPrompt.endIndex
        // The choice starts on a frame boundary after the digit, whatever silence came between.
        // The choice's first sample is 0 (sin 0), as silence is: what is audible starts at its second.
        #expect(Self.matches(Array(afterPrompt[start...]), Array(hours.dropFirst())), "the choice after the digit")
        #expect(outcome.counters.mrf["answered-menu"] == 1)
        #expect(outcome.counters.mrf["bye-sent"] == 1)
    }

    /// A busy tone (E.180, eu: 425 Hz, 0.5 s on, 0.5 s off) until the caller hangs up after 8 s.
    @Test func aTonePlaysUntilTheCallerHangsUp() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.34", scenario: "uac-mrf-listener", service: "tone=busy@\(Self.domain)")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        let frames = Self.frames(to: "127.0.1.34", in: outcome.packets)
        let on = frames.filter { !$0.allSatisfy { $0 == G711Law.aLaw.silence } }.count
        #expect(frames.count >= 350, "8 s of 20 ms frames: \(frames.count)")
        #expect((150...250).contains(on), "half of them tone: \(on) of \(frames.count)")
        #expect(outcome.counters.mrf["answered-tone"] == 1)
        #expect(outcome.counters.mrf["bye-received"] == 1)
        #expect(outcome.counters.mrf["bye-sent"] == nil)
        #expect(outcome.activeCalls == 0)
    }

    /// Hold (a re-INVITE `sendonly`, answered `recvonly`) stops what the MRF sends, resume (`sendrecv`) starts it
    /// again: the RTP clock runs through the pause, so the first packet after it is one sequence number and about
    /// 2 s of timestamps after the last one before.
    @Test func holdPausesWhatTheMRFSends() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.35", scenario: "uac-mrf-hold-resume", service: "tone=ringback@\(Self.domain)")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        #expect(outcome.logs[0].contains("a=recvonly"), "the hold is answered recvonly")
        let headers = outcome.packets.filter { $0.source == Self.gatehouse && $0.destination == "127.0.1.35" }
            .compactMap { RTPDatagram(bytes: Self.hexBytes($0.payload))?.header }
        let gaps = zip(headers, headers.dropFirst()).filter { $0.1.timestamp &- $0.0.timestamp > 160 }
        #expect(gaps.count == 1, "one pause: \(gaps.map { ($0.0.sequenceNumber, $0.1.timestamp &- $0.0.timestamp) })")
        if let (before, after) = gaps.first {
            #expect(after.sequenceNumber == before.sequenceNumber &+ 1)
            #expect((12_000...20_000).contains(after.timestamp &- before.timestamp))
            #expect(after.marker, "a new talkspurt")
        }
        #expect((150...250).contains(headers.count), "about 4 of the call's 6 s: \(headers.count) packets")
        #expect(outcome.counters.mrf["bye-received"] == 1)
    }

    /// Three participants, one talking: the two listeners receive its audio, the talker receives only silence.
    @Test func aConferenceSendsEachParticipantTheOthers() async throws {
        let room = "conf=team@\(Self.domain)"
        let outcome = try await Self.run([
            Caller(address: "127.0.1.33", scenario: "uac-mrf-listener", service: room),
            Caller(address: "127.0.1.34", scenario: "uac-mrf-listener", service: room),
            Caller(address: "127.0.1.35", scenario: "uac-mrf-conf-talker", service: room, delay: .milliseconds(500)),
        ])
        for (index, caller) in outcome.callers.enumerated() {
            #expect(caller.status == 0, "caller \(index):\n\(caller.output.suffix(1500))")
        }
        let talking = { (frame: [UInt8]) in !frame.allSatisfy { $0 == G711Law.aLaw.silence } }
        for listener in ["127.0.1.33", "127.0.1.34"] {
            let heard = Self.frames(to: listener, in: outcome.packets).filter(talking).count
            #expect(heard >= 100, "\(listener) heard \(heard) frames of the talker")
        }
        let toTalker = Self.frames(to: "127.0.1.35", in: outcome.packets)
        #expect(toTalker.count >= 100, "the talker receives the room's stream too")
        #expect(!toTalker.contains(where: talking), "but not itself")
        #expect(outcome.counters.mrf["answered-conf"] == 3)
        #expect(outcome.counters.mrf["bye-received"] == 3)
        #expect(outcome.activeCalls == 0)
    }

    @Test func anUnknownAnnouncementIsRefused() async throws {
        let outcome = try await Self.run([
            Caller(address: "127.0.1.33", scenario: "uac-mrf-refused", service: "announce=nope@\(Self.domain)")
        ])
        #expect(outcome.callers[0].status == 0, "caller:\n\(outcome.callers[0].output.suffix(1500))")
        #expect(outcome.counters.mrf["refused-unknown-announcement"] == 1)
    }
}
