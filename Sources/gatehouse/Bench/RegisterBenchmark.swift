import Foundation
import GatehousePolicy
import GatehouseServer
import Logging

/// Registrations per second through the embedded IMS core: a node on its own loopback address with the lab's alice
/// (IMS-AKA), and SIPp UEs registering her at a set rate — REGISTER, 401 with an AKA challenge, REGISTER with the
/// RES, 200 — each registration a new Call-ID, so every one costs a UAR, a MAR (a fresh vector and SQN, written), a
/// SAR and the binding, persisted in SQLite.
///
/// The figure is 200 OKs per second of wall time from SIPp's start to its end, with the failures beside it.
struct RegisterBenchmark {
    var registrations: Int
    var rate: Int
    var concurrency: Int
    var address = "127.0.0.50"

    struct Result {
        var registered: Int
        var failed: Int
        var seconds: Double
        var sippStatus: Int32
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
        let scenario = workspace + "/ue.xml"
        try Self.scenario.write(toFile: scenario, atomically: true, encoding: .utf8)
        var logger = Logger(label: "gatehouse.bench")
        logger.logLevel = .error
        let node = GatehouseNode(policy: policy, logger: logger)
        let running = try await node.start()
        let started = Date()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sipp)
        process.arguments = [
            "-sf", scenario, "\(address):5060", "-i", "127.0.0.51", "-m", "\(registrations)", "-r", "\(rate)", "-l",
            "\(concurrency)", "-nostdin", "-timeout", "\(max(60, registrations / max(1, rate) * 3))s", "-timeout_error",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let seconds = Date().timeIntervalSince(started)
        let counters = node.counters.snapshot
        await node.stop(running)
        let failed = counters.responses.filter { $0.key >= 300 && $0.key != 401 }.values.reduce(0, +)
        return Result(
            registered: counters.responses[200] ?? 0, failed: failed, seconds: seconds,
            sippStatus: process.terminationStatus)
    }

    func policyText(state: String) -> String {
        """
        version: 1
        node: { name: bench-register, state: "sqlite:\(state)" }
        realms:
          access:
            listen: ["udp://\(address):5060"]
        ims:
          domain: ims.gatehouse.test
          hss: embedded
          subscribers:
            - private_identity: alice@ims.gatehouse.test
              public_identities: [sip:alice@ims.gatehouse.test, "tel:+15550100001"]
              aka: { k: 47617465686f7573654c61624b657931, op: 47617465686f7573654c61624f503031, amf: "8000" }
        routes:
          - { id: handsets, match: { from_realm: access, domain: ims.gatehouse.test }, to: ims }
        """
    }

    /// The lab's alice registering (see Tests/GatehouseServerTests/scenarios/ims-ue-register.template.xml).
    static let scenario = """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="bench: IMS-AKA registration">
          <send retrans="500"><![CDATA[
        REGISTER sip:ims.gatehouse.test SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        Max-Forwards: 70
        From: <sip:alice@ims.gatehouse.test>;tag=[pid]SIPpTag00[call_number]
        To: <sip:alice@ims.gatehouse.test>
        Call-ID: [call_id]
        CSeq: 1 REGISTER
        Contact: <sip:alice@[local_ip]:[local_port]>;expires=600
        Authorization: Digest username="alice@ims.gatehouse.test", realm="ims.gatehouse.test", nonce="", uri="sip:ims.gatehouse.test", response=""
        Content-Length: 0

        ]]></send>
          <recv response="401" auth="true"/>
          <send retrans="500"><![CDATA[
        REGISTER sip:ims.gatehouse.test SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
        Max-Forwards: 70
        From: <sip:alice@ims.gatehouse.test>;tag=[pid]SIPpTag00[call_number]
        To: <sip:alice@ims.gatehouse.test>
        Call-ID: [call_id]
        CSeq: 2 REGISTER
        Contact: <sip:alice@[local_ip]:[local_port]>;expires=600
        [authentication username=alice@ims.gatehouse.test aka_K=GatehouseLabKey1 aka_OP=GatehouseLabOP01 aka_AMF=0x8000]
        Content-Length: 0

        ]]></send>
          <recv response="200"/>
        </scenario>
        """

    static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct BenchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
