import Foundation
import GatehousePolicy
import GatehouseServer
import Logging

/// Registrations per second through the embedded IMS core: a node on its own loopback address with `ues`
/// subscribers (IMS-AKA, the lab's K and OP), and one SIPp per subscriber re-registering it at an even share of the
/// rate — REGISTER, 401 with an AKA challenge, REGISTER with the RES, 200 — each registration a new Call-ID, so every
/// one costs a UAR, a MAR (a fresh vector, its SQN written), a SAR and the binding, persisted in SQLite.
///
/// One SIPp per subscriber because SIPp substitutes no field inside `[authentication …]`, and because that is what
/// the load looks like: many handsets, each with a registration or two in flight, not one identity with hundreds
/// (the S-CSCF keeps at most four open challenges per private identity).
///
/// The figure is 200 OKs per second of wall time from the first SIPp's start to the last final answer. About 3 % of
/// the attempts are refused with 403 whatever the load: SIPp treats RES as a C string, so when a vector's RES holds
/// a zero byte (8 bytes, 1 in 32) its answer hashes only the bytes before it. A UE that computes RES right (the
/// tests' own) never meets this.
struct RegisterBenchmark {
    var registrations: Int
    var rate: Int
    var ues: Int
    var address = "127.0.0.50"
    var logLevel: Logger.Level = .error

    struct Result {
        var registered: Int
        var failed: Int
        var seconds: Double
        /// SIPp processes that exited with a failure.
        var failedUEs: Int
        /// Final responses other than 200 and 401, by status.
        var refusals: [Int: Int]
        var perSecond: Double { seconds > 0 ? Double(registered) / seconds : 0 }
    }

    func run() async throws -> Result {
        guard let sipp = Self.find("sipp") else {
            throw BenchError("sipp is not installed (apt-get install sip-tester)")
        }
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID())").path
        try FileManager.default.createDirectory(atPath: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: workspace) }
        let policy = try PolicyLoader.load(yaml: policyText(state: workspace + "/state.db"), file: "bench-register")
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return handler
        }
        var logger = Logger(label: "gatehouse.bench")
        logger.logLevel = logLevel
        let node = GatehouseNode(policy: policy, logger: logger)
        let running = try await node.start()
        let perUE = max(1, registrations / ues)
        let ratePerUE = max(1, rate / ues)
        var processes: [Process] = []
        let started = Date()
        for index in 0..<ues {
            let scenario = workspace + "/ue-\(index).xml"
            try Self.scenario(user: Self.user(index)).write(toFile: scenario, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sipp)
            process.arguments = [
                "-sf", scenario, "\(address):5060", "-i", "127.0.0.51", "-p", "\(20_000 + index)", "-m", "\(perUE)",
                "-r", "\(ratePerUE)", "-l", "2", "-nostdin", "-timeout", "\(max(60, perUE / ratePerUE * 3))s",
                "-timeout_error",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append(process)
        }
        // The clock stops at the last final answer, not when the last SIPp exits: a UE whose call failed may linger.
        var answered = 0
        var lastAnswer = started
        while processes.contains(where: \.isRunning) {
            try await Task.sleep(for: .milliseconds(20))
            let now = node.counters.snapshot.responses.filter { $0.key >= 200 && $0.key != 401 }.values.reduce(0, +)
            if now != answered {
                answered = now
                lastAnswer = Date()
            }
        }
        let seconds = lastAnswer.timeIntervalSince(started)
        let counters = node.counters.snapshot
        await node.stop(running)
        let refusals = counters.responses.filter { $0.key >= 300 && $0.key != 401 }
        return Result(
            registered: counters.responses[200] ?? 0, failed: refusals.values.reduce(0, +), seconds: seconds,
            failedUEs: processes.count { $0.terminationStatus != 0 }, refusals: refusals)
    }

    static func user(_ index: Int) -> String { "bench-\(index)" }

    func policyText(state: String) -> String {
        let subscribers = (0..<ues).map { index in
            """
                - private_identity: \(Self.user(index))@ims.gatehouse.test
                  public_identities: [sip:\(Self.user(index))@ims.gatehouse.test]
                  aka: { k: 47617465686f7573654c61624b657931, op: 47617465686f7573654c61624f503031, amf: "8000" }
            """
        }.joined(separator: "\n")
        return """
            version: 1
            node: { name: bench-register, state: "sqlite:\(state)" }
            realms:
              access:
                listen: ["udp://\(address):5060"]
            ims:
              domain: ims.gatehouse.test
              hss: embedded
              # SIPp fails 1 AKA answer in 32 (below): those must not lock the bench's subscribers out.
              authentication: { failures: { max: 1000, window: 1s, block: 1s } }
              subscribers:
            \(subscribers)
            routes:
              - { id: handsets, match: { from_realm: access, domain: ims.gatehouse.test }, to: ims }
            """
    }

    /// A UE registering (the flow of Tests/GatehouseServerTests/scenarios/ims-ue-register.template.xml).
    static func scenario(user: String) -> String {
        """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="bench: IMS-AKA registration">
          <send retrans="500"><![CDATA[
        REGISTER sip:ims.gatehouse.test SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        Max-Forwards: 70
        From: <sip:\(user)@ims.gatehouse.test>;tag=[pid]SIPpTag00[call_number]
        To: <sip:\(user)@ims.gatehouse.test>
        Call-ID: [call_id]
        CSeq: 1 REGISTER
        Contact: <sip:\(user)@[local_ip]:[local_port]>;expires=600
        Authorization: Digest username="\(user)@ims.gatehouse.test", realm="ims.gatehouse.test", nonce="", uri="sip:ims.gatehouse.test", response=""
        Content-Length: 0

        ]]></send>
          <recv response="401" auth="true"/>
          <send retrans="500"><![CDATA[
        REGISTER sip:ims.gatehouse.test SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        Max-Forwards: 70
        From: <sip:\(user)@ims.gatehouse.test>;tag=[pid]SIPpTag00[call_number]
        To: <sip:\(user)@ims.gatehouse.test>
        Call-ID: [call_id]
        CSeq: 2 REGISTER
        Contact: <sip:\(user)@[local_ip]:[local_port]>;expires=600
        [authentication username=\(user)@ims.gatehouse.test aka_K=GatehouseLabKey1 aka_OP=GatehouseLabOP01 aka_AMF=0x8000]
        Content-Length: 0

        ]]></send>
          <recv response="200"/>
        </scenario>
        """
    }

    static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
