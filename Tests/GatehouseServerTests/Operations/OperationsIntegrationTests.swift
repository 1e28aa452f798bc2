import Foundation
import GatehousePolicy
import GatehouseServer
import Logging
import NIOCore
import TestSupport
import Testing

/// The operators' side of a running node: the admin API, `/metrics` (checked by Prometheus's own `promtool`), the
/// status page in headless Chromium, and a drain on SIGTERM with SIPp calls in progress.
///
/// Addresses 127.0.0.101–109 belong to these tests: Gatehouse's access realm .101 and interconnect realm .102, the
/// caller .103, the callee .104, the admin listener .105 (a free port in-process; 9061 for the spawned node).
@Suite(.serialized)
struct OperationsIntegrationTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static func policyText(admin: String = "127.0.0.105:9062", drainTimeout: String = "20s") -> String {
        """
        version: 1
        node: { name: ops-test, drain_timeout: \(drainTimeout), log_level: notice }
        admin: { listen: "\(admin)" }
        realms:
          access: { listen: ["udp://127.0.0.101:5060"] }
          interconnect: { listen: ["udp://127.0.0.102:5060"] }
        peers:
          pbx: { realm: access, addresses: ["127.0.0.103/32"] }
          carrier: { realm: interconnect, addresses: ["127.0.0.104"], port: 5060 }
        routes:
          - { id: out, match: { from_peer: pbx, number_prefix: "+1" }, to: "peer:carrier" }
          - { id: nowhere, match: {}, to: "reject:404 Not Found" }
        """
    }

    /// A node on the test policy (written to `workspace` so that reloads can re-read it) with its admin listener.
    static func withAdmin<T>(
        _ workspace: PolicyWorkspace, _ body: (GatehouseNode, AdminClient, String) async throws -> T
    ) async throws -> T {
        let file = workspace.directory + "/ops.yaml"
        try policyText().write(toFile: file, atomically: true, encoding: .utf8)
        var logger = Logger(label: "gatehouse.ops-test")
        logger.logLevel = .warning
        let node = GatehouseNode(
            policy: try PolicyLoader.load(yaml: policyText(), file: file), logger: logger, threads: 1,
            policyDirectory: workspace.directory)
        return try await node.serving { _ in
            let server = try await AdminHTTPServer.bind(
                host: "127.0.0.105", port: 0,
                router: AdminRouter(node: node, policyFile: file, isListening: { node.isListening }),
                group: .singletonMultiThreadedEventLoopGroup, logger: logger)
            do {
                let client = AdminClient(host: "127.0.0.105", port: try #require(server.boundAddress?.port))
                let result = try await body(node, client, file)
                await server.close()
                return result
            } catch {
                await server.close()
                throw error
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ reply: AdminClient.Reply) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(reply.body))
    }

    /// SIPp callee on .104 and caller on .103 placing `calls` calls of `-d milliseconds` each; returns the caller.
    static func startCalls(
        calls: Int, milliseconds: Int, rate: Int = 10, scenario: String = "long-call", callee: Bool = true,
        callerPort: Int = 5062
    ) async throws -> (caller: ExternalProcess.Running, callee: ExternalProcess.Running?) {
        let sipp = try #require(ExternalProcess.find("sipp"), "sipp is missing: make test-deps installs sip-tester")
        var calleeProcess: ExternalProcess.Running?
        if callee {
            let process = try ExternalProcess.start(
                sipp,
                [
                    "-sf", scenarios.appendingPathComponent("uas-basic.xml").path, "-i", "127.0.0.104", "-p", "5060",
                    "-m", "\(calls)", "-nostdin",
                ])
            try await process.waitUntilBound([.udp("127.0.0.104", 5060)])
            calleeProcess = process
        }
        let caller = try ExternalProcess.start(
            sipp,
            [
                "-sf", scenarios.appendingPathComponent("uac-\(scenario).xml").path, "127.0.0.101:5060",
                "-s", "+15551230000", "-i", "127.0.0.103", "-p", "\(callerPort)", "-m", "\(calls)", "-r", "\(rate)",
                "-d", "\(milliseconds)", "-nostdin",
            ])
        return (caller, calleeProcess)
    }

    @Test func adminAPIAnswersHealthStatusCallsReloadAndDrain() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try await Self.withAdmin(workspace) { node, admin, file in
            #expect(try await admin.request(.GET, "/health").status == 200)
            let ready = try await admin.request(.GET, "/ready")
            #expect(ready.status == 200 && ready.text.contains("\"ready\":true"))

            // Calls long enough to be listed however slowly a loaded machine gets through the checks below.
            let (caller, callee) = try await Self.startCalls(calls: 3, milliseconds: 15_000)
            defer {
                caller.stop()
                callee?.stop()
            }
            let allAnswered = await eventually(.seconds(20)) {
                let answered = try? Self.decode(
                    CallsDocument.self, try await admin.request(.GET, "/api/calls?state=answered"))
                return answered?.calls.count == 3
            }
            #expect(allAnswered)
            let calls = try Self.decode(CallsDocument.self, try await admin.request(.GET, "/api/calls?peer=carrier"))
            #expect(calls.total == 3 && calls.calls.count == 3)
            #expect(calls.calls.allSatisfy { $0.fromPeer == "pbx" && $0.toPeer == "carrier" && $0.state == "answered" })
            #expect(calls.calls.allSatisfy { $0.callee.contains("+15551230000") && $0.toRealm == "interconnect" })
            let limited = try Self.decode(CallsDocument.self, try await admin.request(.GET, "/api/calls?limit=1"))
            #expect(limited.calls.count == 1 && limited.total == 3)
            let none = try Self.decode(CallsDocument.self, try await admin.request(.GET, "/api/calls?peer=nobody"))
            #expect(none.calls.isEmpty)
            #expect(try await admin.request(.GET, "/api/calls?limit=x").status == 400)

            let status = try Self.decode(StatusDocument.self, try await admin.request(.GET, "/api/status"))
            #expect(status.node == "ops-test" && status.ready && !status.draining && status.calls.active == 3)
            #expect(status.messages.received > 0 && status.policy.generation == 1 && status.policy.file == file)
            #expect(try await caller.finish(within: .seconds(60)).status == 0)

            // Reload: a good file is applied, a bad one refused with its diagnostics and the old one stays.
            let applied = try Self.decode(ReloadDocument.self, try await admin.request(.POST, "/api/reload"))
            #expect(applied.result == "applied" && applied.generation == 2)
            try (Self.policyText() + "\nbogus: 1\n").write(toFile: file, atomically: true, encoding: .utf8)
            let refusedReply = try await admin.request(.POST, "/api/reload")
            #expect(refusedReply.status == 422)
            let refused = try Self.decode(ReloadDocument.self, refusedReply)
            #expect(refused.result == "refused" && refused.generation == 2)
            #expect(refused.problems.contains { $0.contains("ops.yaml:13:1") }, "\(refused.problems)")
            let policy = try Self.decode(PolicyDocument.self, try await admin.request(.GET, "/api/policy"))
            #expect(policy.generation == 2 && policy.reloadsApplied == 1 && policy.reloadsRefused == 1)

            // Drain from the API: /ready says so and a new call gets 503 with Retry-After; undrain takes calls again.
            #expect(try await admin.request(.POST, "/api/drain").status == 202)
            let draining = try await admin.request(.GET, "/ready")
            #expect(draining.status == 503 && draining.text.contains("draining"))
            let refusedCall = try await Self.startCalls(
                calls: 1, milliseconds: 100, scenario: "draining", callee: false)
            #expect(try await refusedCall.caller.finish(within: .seconds(20)).status == 0)
            let refusals = try Self.decode(StatusDocument.self, try await admin.request(.GET, "/api/status"))
            #expect(refusals.draining && refusals.recentRefusals.first?.reason == "node.draining")
            #expect(refusals.recentRefusals.first?.status == 503)
            #expect(try await admin.request(.DELETE, "/api/drain").status == 200)
            #expect(try await admin.request(.GET, "/ready").status == 200)

            // The blocklist: an operator's block, listed, lifted; bad input is refused.
            let blockBody = Array(#"{"address": "127.0.0.109", "duration": "10m"}"#.utf8)
            let blocked = try await admin.request(.POST, "/api/blocklist", body: blockBody)
            #expect(blocked.status == 201, "\(blocked.text)")
            let block = try Self.decode(BlockDocument.self, blocked)
            #expect(block.address == "127.0.0.109" && block.reason == "blocked-by-operator" && !block.kernel)
            #expect((590...600).contains(block.remainingSeconds))
            let list = try Self.decode(BlocklistDocument.self, try await admin.request(.GET, "/api/blocklist"))
            #expect(list.entries.map(\.address) == ["127.0.0.109"])
            let badDuration = Array(#"{"address": "127.0.0.109", "duration": "forever"}"#.utf8)
            #expect(try await admin.request(.POST, "/api/blocklist", body: badDuration).status == 400)
            #expect(try await admin.request(.POST, "/api/blocklist", body: Array("nonsense".utf8)).status == 400)
            #expect(try await admin.request(.DELETE, "/api/blocklist/127.0.0.109").status == 200)
            #expect(try await admin.request(.DELETE, "/api/blocklist/127.0.0.109").status == 404)
            #expect(try await admin.request(.DELETE, "/api/blocklist/not-an-address").status == 400)

            // What is not there.
            #expect(try await admin.request(.GET, "/api/nothing").status == 404)
            let wrongMethod = try await admin.request(.GET, "/api/reload")
            #expect(wrongMethod.status == 405 && wrongMethod.text.contains("not allowed"))
            let registrations = try Self.decode(
                RegistrationsDocument.self, try await admin.request(.GET, "/api/registrations"))
            #expect(registrations.relayed.isEmpty && registrations.ims.isEmpty)
        }
    }

    @Test func metricsPassPromtoolAndCountTheCalls() async throws {
        let promtool = try #require(
            ExternalProcess.find("promtool"), "promtool is missing: make test-deps installs prometheus")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try await Self.withAdmin(workspace) { node, admin, _ in
            let (caller, callee) = try await Self.startCalls(calls: 4, milliseconds: 200, rate: 20)
            defer { callee?.stop() }
            #expect(try await caller.finish(within: .seconds(30)).status == 0)
            #expect(await eventually(.seconds(10)) { await node.activeCallCount() == 0 })
            // A message the parser refuses, for the parse error series.
            try SocketProbe(udpFrom: "127.0.0.103").send("INVITE nonsense\r\n\r\n", to: "127.0.0.101", port: 5060)
            #expect(await eventually(.seconds(5)) { node.counters.snapshot.rejected.values.reduce(0, +) > 0 })

            let reply = try await admin.request(.GET, "/metrics")
            #expect(reply.status == 200 && reply.contentType.hasPrefix("text/plain; version=0.0.4"))
            let exposition = workspace.directory + "/metrics.txt"
            try reply.text.write(toFile: exposition, atomically: true, encoding: .utf8)
            let check = try await ExternalProcess.run("/bin/sh", ["-c", "\(promtool) check metrics < \(exposition)"])
            #expect(check.status == 0, "promtool: \(check.output)")

            let samples = PrometheusText(reply.text)
            #expect(samples["gatehouse_calls_attempted_total", ["from_peer": "pbx", "to_peer": "carrier"]] == 4)
            #expect(samples["gatehouse_calls_answered_total", ["from_peer": "pbx", "to_peer": "carrier"]] == 4)
            #expect(samples["gatehouse_call_setup_seconds_count", ["to_peer": "carrier"]] == 4)
            #expect(
                (samples["gatehouse_sip_messages_received_total", ["realm": "access", "method": "INVITE"]] ?? 0) >= 4)
            #expect((samples["gatehouse_sip_messages_received_total", ["realm": "access", "method": "BYE"]] ?? 0) >= 4)
            #expect(samples.total("gatehouse_sip_parse_errors_total") >= 1)
            #expect(
                (samples["gatehouse_sip_messages_sent_total", ["realm": "interconnect", "method": "INVITE"]] ?? 0) >= 4)
            #expect(
                (samples["gatehouse_sip_messages_sent_total", ["realm": "access", "method": "response"]] ?? 0) >= 8)
            #expect(samples["gatehouse_policy_generation"] == 1)
            #expect(samples["gatehouse_draining"] == 0)
            #expect((samples["gatehouse_sip_responses_sent_total", ["class": "2xx"]] ?? 0) >= 8)

            // A second scrape adds only what is new: the counters are not exported twice.
            let again = PrometheusText(try await admin.request(.GET, "/metrics").text)
            #expect(again["gatehouse_calls_attempted_total", ["from_peer": "pbx", "to_peer": "carrier"]] == 4)
            #expect(
                again.total("gatehouse_sip_parse_errors_total") == samples.total("gatehouse_sip_parse_errors_total"))
        }
    }

    @Test func statusPageInHeadlessChromiumShowsTrafficAndTheChart() async throws {
        let chromium = try #require(
            ExternalProcess.find("chromium"), "chromium is missing: make test-deps installs it")
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        try await Self.withAdmin(workspace) { node, admin, _ in
            let (caller, callee) = try await Self.startCalls(calls: 40, milliseconds: 3000, rate: 10)
            defer {
                caller.stop()
                callee?.stop()
            }
            // A few seconds of history with calls in it.
            #expect(await eventually(.seconds(20)) { node.activity.history.filter { $0.callsStarted > 0 }.count >= 2 })
            let url = "http://127.0.0.105:\(admin.port)/"
            let screenshot = workspace.directory + "/status.png"
            let common = [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1100",
                "--user-data-dir=\(workspace.directory)/chromium", "--virtual-time-budget=3000",
            ]
            let dom = try await ExternalProcess.run(chromium, common + ["--dump-dom", url], timeout: .seconds(90))
            #expect(dom.status == 0, "\(dom.output.suffix(2000))")
            let page = PageText(dom.output)
            #expect((page.number(ofElement: "received") ?? 0) > 0, "\(dom.output.prefix(4000))")
            #expect((page.number(ofElement: "active") ?? 0) > 0)
            #expect(page.text(ofElement: "node") == "ops-test")
            #expect(page.text(ofElement: "state") == "ready")
            #expect(dom.output.contains("+15551230000"), "the current calls table lists the calls")
            let shot = try await ExternalProcess.run(
                chromium, common + ["--screenshot=\(screenshot)", url], timeout: .seconds(90))
            #expect(shot.status == 0)
            let png = try Data(contentsOf: URL(fileURLWithPath: screenshot))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 20_000)
            if let keep = ProcessInfo.processInfo.environment["GATEHOUSE_KEEP_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: screenshot, toPath: keep)
            }
        }
    }

    @Test func sigtermDrainsCallsInProgressRefusesNewOnesAndExitsZero() async throws {
        let binary = try BuiltProducts.gatehouse().get()
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = workspace.directory + "/ops.yaml"
        try Self.policyText(admin: "127.0.0.105:9061", drainTimeout: "30s").write(
            toFile: file, atomically: true, encoding: .utf8)
        let node = try ExternalProcess.start(binary, ["serve", "--policy", file])
        defer { node.stop() }
        try await node.waitUntilBound([.udp("127.0.0.101", 5060), .tcpListener("127.0.0.105", 9061)])
        let admin = AdminClient(host: "127.0.0.105", port: 9061)

        let (caller, callee) = try await Self.startCalls(calls: 3, milliseconds: 5000)
        defer {
            caller.stop()
            callee?.stop()
        }
        let answered = await eventually(.seconds(20)) {
            let calls = try? Self.decode(CallsDocument.self, try await admin.request(.GET, "/api/calls?state=answered"))
            return calls?.calls.count == 3
        }
        #expect(answered)
        node.send(signal: SIGTERM)
        #expect(await eventually(.seconds(10)) { (try? await admin.request(.GET, "/ready"))?.status == 503 })

        // A new call while draining: 503.
        let late = try await Self.startCalls(
            calls: 1, milliseconds: 100, scenario: "draining", callee: false, callerPort: 5064)
        let lateOutcome = try await late.caller.finish(within: .seconds(20))
        #expect(lateOutcome.status == 0, "\(lateOutcome.output.suffix(1500))")

        // The calls in progress end normally (BYE from the caller, 200 through the node), then the node exits 0.
        let callerOutcome = try await caller.finish(within: .seconds(30))
        #expect(callerOutcome.status == 0, "\(callerOutcome.output.suffix(1500))")
        let exit = try await node.finish(within: .seconds(30))
        #expect(!exit.timedOut && exit.status == 0, "\(exit.output.suffix(3000))")
        #expect(exit.output.contains("draining: new calls are refused"))
        #expect(exit.output.contains("ended-at-timeout=0"))
    }
}

/// Samples of a Prometheus text exposition, by name and labels.
struct PrometheusText {
    private var samples: [String: Double] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
    }

    /// The sum of every series of `name`.
    func total(_ name: String) -> Double {
        samples.filter { $0.key == name || $0.key.hasPrefix(name + "{") }.values.reduce(0, +)
    }

    subscript(name: String, labels: [String: String] = [:]) -> Double? {
        if labels.isEmpty, let value = samples[name] { return value }
        // Labels in any order: find the series whose label set is exactly these.
        let wanted = Set(labels.map { "\($0.key)=\"\($0.value)\"" })
        for (series, value) in samples where series.hasPrefix(name + "{") {
            let inner = series.dropFirst(name.count + 1).dropLast()
            if Set(inner.split(separator: ",").map(String.init)) == wanted { return value }
        }
        return nil
    }
}

/// The text of elements of a DOM dump, by id.
struct PageText {
    let html: String

    init(_ html: String) { self.html = html }

    func text(ofElement id: String) -> String? {
        guard let start = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[start.upperBound...].firstIndex(of: ">") else { return nil }
        let rest = html[html.index(after: open)...]
        guard let close = rest.firstIndex(of: "<") else { return nil }
        return String(rest[..<close])
    }

    func number(ofElement id: String) -> Double? { text(ofElement: id).flatMap { Double($0) } }
}
