import Foundation
import TestSupport
import Testing

/// The "done when": in network namespaces this test makes (`gh-fw-node` running the built `gatehouse
/// serve`, `gh-fw-scan` running sipvicious, joined by a veth pair on 10.231.0.0/24), svmap and svwar scan the
/// running Gatehouse; the scanner's address lands in the nftables set, its later packets are counted by the drop
/// rule and never reach Gatehouse (its message counters, read through its admin API inside the namespace, do not
/// move, and its log never mentions the scanner again), and the table goes at stop.
///
/// Needs root (namespaces, CAP_NET_ADMIN), nftables, iproute2 and sipvicious, as `make test` provides, and the
/// `gatehouse` executable built beside the tests (`swift build --build-tests` builds it).
@Suite("sipvicious against a node with the kernel blocklist", .serialized)
struct ScannerKernelBlockTests {
    static let nodeAddress = "10.231.0.1"
    static let scannerAddress = "10.231.0.2"

    /// The `gatehouse` executable of this build: beside the test bundle.
    static var gatehouseExecutable: String? {
        let bundle =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let candidate = URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("gatehouse")
        return FileManager.default.isExecutableFile(atPath: candidate.path) ? candidate.path : nil
    }

    static func policy(state: String, extra: String = "") -> String {
        """
        version: 1
        node: { name: fw-e2e, state: "sqlite:\(state)" }
        admin: { listen: "127.0.0.1:9060" }
        realms:
          access:
            listen: ["udp://\(nodeAddress):5060", "tcp://\(nodeAddress):5060"]
        firewall: { kernel_blocklist: true, table: gatehouse }

        """ + extra
    }

    struct Tools {
        var nft: String
        var svmap: String
        var svwar: String
    }

    /// What a test gets: the running node (its output is the node's log), the two namespaces, the tools, and
    /// the policy file and state path (to rewrite the policy for a reload).
    struct Lab {
        var server: ExternalProcess.Running
        var node: NetworkNamespace
        var scan: NetworkNamespace
        var tools: Tools
        var policyFile: String
        var state: String
    }

    /// Makes the namespaces and the veth pair, starts `gatehouse serve` in `gh-fw-node` on the policy (with
    /// `extra` appended), runs `body`, and removes everything — processes by pid, then the namespaces — whatever
    /// happens.
    /// `launcher` runs before `gatehouse` (`setpriv --bounding-set=-net_admin`); without CAP_NET_ADMIN the node
    /// is ready when its log says it started, else when its table exists.
    func withLab(
        extra: String, launcher: [String] = [], expectsTable: Bool = true, _ body: (Lab) async throws -> Void
    ) async throws {
        let gatehouse = try #require(Self.gatehouseExecutable, "build the gatehouse executable first")
        let tools = Tools(
            nft: try #require(ExternalProcess.find("nft"), "nft not found: install nftables"),
            svmap: try #require(ExternalProcess.find("svmap"), "svmap not found: install sipvicious"),
            svwar: try #require(ExternalProcess.find("svwar"), "svwar not found: install sipvicious"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-fw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let policyFile = directory.appendingPathComponent("policy.yaml").path
        let state = directory.appendingPathComponent("state.db").path
        try Self.policy(state: state, extra: extra).write(toFile: policyFile, atomically: true, encoding: .utf8)

        let node = try await NetworkNamespace.create("gh-fw-node")
        let scan = try await NetworkNamespace.create("gh-fw-scan")
        var server: ExternalProcess.Running?
        func cleanUp() async {
            server?.stop()
            await scan.delete()
            await node.delete()
            try? FileManager.default.removeItem(at: directory)
        }
        do {
            try await node.connect(
                to: scan, address: "\(Self.nodeAddress)/24", otherAddress: "\(Self.scannerAddress)/24")
            let command = launcher + [gatehouse, "serve", "--policy", policyFile, "--log-level", "debug"]
            let running = try node.start(command[0], Array(command.dropFirst()))
            server = running
            // The table appears once the listeners are bound (and the log says so without CAP_NET_ADMIN).
            let installed = try await eventually(.seconds(30)) {
                guard running.isRunning else { return true }
                guard expectsTable else { return running.output.contains("gatehouse started") }
                return try await node.run(tools.nft, ["list", "table", "inet", "gatehouse"]).status == 0
            }
            #expect(
                installed && running.isRunning, "gatehouse did not install its table: \(running.output.suffix(2000))")
            if installed, running.isRunning {
                try await body(
                    Lab(server: running, node: node, scan: scan, tools: tools, policyFile: policyFile, state: state))
            }
        } catch {
            await cleanUp()
            throw error
        }
        await cleanUp()
    }

    @Test("svmap gets its scanner blocked in the kernel; svwar's packets are then dropped before Gatehouse")
    func scannersAreDroppedInTheKernel() async throws {
        try await withLab(extra: "detection: { block_for: 10m }\n") { lab in
            try await check(
                lab.server, node: lab.node, scan: lab.scan, tools: lab.tools, policyFile: lab.policyFile,
                state: lab.state)
        }
    }

    @Test("without CAP_NET_ADMIN the node says so once and blocks the scanner in user space")
    func withoutNetAdminTheBlocklistStaysInUserSpace() async throws {
        let setpriv = try #require(ExternalProcess.find("setpriv"), "setpriv not found: install util-linux")
        try await withLab(
            extra: "", launcher: [setpriv, "--bounding-set=-net_admin"], expectsTable: false
        ) { lab in
            let server = lab.server
            let log: @Sendable () -> String = { server.output }
            #expect(log().contains("no CAP_NET_ADMIN: the blocklist stays in user space"))
            _ = try await lab.scan.run(lab.tools.svmap, ["-p", "5060", Self.nodeAddress], timeout: .seconds(60))
            #expect(await eventually { log().contains("blocked a source: scanner") })
            #expect(log().contains("kernel=false"))
            // The next scan reaches the node, which drops it in user space.
            _ = try await lab.scan.run(lab.tools.svmap, ["-p", "5060", Self.nodeAddress], timeout: .seconds(60))
            #expect(await eventually { log().contains("dropped a message from a blocked source") })
            let tables = try await lab.node.run(lab.tools.nft, ["list", "tables"]).output
            #expect(!tables.contains("gatehouse"))
            #expect(log().components(separatedBy: "no CAP_NET_ADMIN").count == 2, "logged more than once")
        }
    }

    @Test("with User-Agent matching off, svwar's enumeration (404 for each extension) gets it blocked in the kernel")
    func enumerationIsDroppedInTheKernel() async throws {
        let extra = """
            sanity: { scanners: { builtin: false } }
            detection: { sweeps: off, enumeration: { distinct: 5, within: 60s } }

            """
        try await withLab(extra: extra) { lab in
            let war = try await lab.scan.run(
                lab.tools.svwar, ["--force", "-e", "100-149", "-p", "5060", "--maximumtime", "10", Self.nodeAddress],
                timeout: .seconds(60))
            #expect(!war.timedOut)
            let set = try await lab.node.run(lab.tools.nft, ["list", "set", "inet", "gatehouse", "blocked4"]).output
            #expect(set.contains(Self.scannerAddress), "\(set)\n\(lab.server.output.suffix(2000))")
            #expect(set.contains("comment \"enumeration\""), "\(set)")
            #expect(lab.server.output.contains("blocked a source: enumeration"))
            // The node answered the probe and a few extensions; the rest of the 50 met the drop rule.
            let answered = lab.server.output.split(separator: "\n").count {
                $0.contains("No route") || $0.contains("answered 404")
            }
            let dropped = try await dropCounter(node: lab.node, nft: lab.tools.nft)
            #expect(dropped > 0, "nothing was dropped by the rule; the node logged \(answered) answers")
        }
    }

    private func check(
        _ server: ExternalProcess.Running, node: NetworkNamespace, scan: NetworkNamespace, tools: Tools,
        policyFile: String, state: String
    ) async throws {
        let (nft, svmap, svwar) = (tools.nft, tools.svmap, tools.svwar)

        // svmap: its OPTIONS carries the friendly-scanner User-Agent; the node blocks it, the kernel set holds it.
        let map = try await scan.run(svmap, ["-p", "5060", Self.nodeAddress], timeout: .seconds(60))
        #expect(!map.timedOut)
        let blocked = try await eventually(.seconds(10)) {
            try await node.run(nft, ["list", "set", "inet", "gatehouse", "blocked4"]).output
                .contains(Self.scannerAddress)
        }
        #expect(blocked, "the scanner is not in the set: \(server.output.suffix(2000))")
        let set = try await node.run(nft, ["list", "set", "inet", "gatehouse", "blocked4"]).output
        #expect(set.contains("comment \"scanner\""), "\(set)")
        #expect(server.output.contains("blocked a source: scanner"))

        let before = try await dropCounter(node: node, nft: nft)
        let receivedBefore = try await receivedMessages(node: node)
        #expect(receivedBefore > 0, "the node counted nothing of svmap's first scan")
        let mentionsBefore = mentions(of: Self.scannerAddress, in: server.output)
        #expect(mentionsBefore > 0)

        // svwar, then svmap again: svwar's first REGISTER (its probe for an unknown extension) meets the drop rule,
        // so it gets no answer and gives up; svmap's OPTIONS meets it too.
        let war = try await scan.run(
            svwar, ["--force", "-e", "100-119", "-p", "5060", "--maximumtime", "8", Self.nodeAddress],
            timeout: .seconds(60))
        #expect(!war.timedOut)
        #expect(war.output.contains("timed out") || war.output.contains("No server response"), "\(war.output)")
        let again = try await scan.run(svmap, ["-p", "5060", Self.nodeAddress], timeout: .seconds(60))
        #expect(!again.output.contains(Self.nodeAddress + ":5060"), "svmap still found the node: \(again.output)")
        let after = try await dropCounter(node: node, nft: nft)
        #expect(after >= before + 2, "svwar's and svmap's packets were not dropped by the rule (\(before) → \(after))")
        let receivedAfter = try await receivedMessages(node: node)
        #expect(receivedAfter == receivedBefore, "Gatehouse counted messages after the block")
        #expect(
            mentions(of: Self.scannerAddress, in: server.output) == mentionsBefore,
            "Gatehouse saw the scanner after it was blocked: \(server.output.suffix(2000))")
        #expect(!server.output.contains("dropped a message from a blocked source"))

        // A reload that renames the table rebuilds it under the new name, with the block in force copied in.
        try Self.policy(state: state).replacingOccurrences(of: "table: gatehouse", with: "table: gatehouse-b")
            .write(toFile: policyFile, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        let renamed = try await eventually(.seconds(20)) {
            let tables = try await node.run(nft, ["list", "tables"]).output
            return tables.contains("table inet gatehouse-b") && !tables.contains("table inet gatehouse\n")
        }
        #expect(renamed, "the reload did not rebuild the table: \(server.output.suffix(2000))")
        let copied = try await node.run(nft, ["list", "set", "inet", "gatehouse-b", "blocked4"]).output
        #expect(copied.contains(Self.scannerAddress), "\(copied)")

        // SIGTERM: the node stops cleanly and deletes its table.
        server.signal(SIGTERM)
        #expect(await eventually(.seconds(20)) { !server.isRunning })
        let tables = try await node.run(nft, ["list", "tables"]).output
        #expect(!tables.contains("gatehouse"), "\(tables)")
    }

    /// The messages the node has received, from its admin API (`gatehouse status --json` inside its namespace).
    private func receivedMessages(node: NetworkNamespace) async throws -> Int {
        let gatehouse = try #require(Self.gatehouseExecutable)
        let status = try await node.run(gatehouse, ["status", "--admin", "127.0.0.1:9060", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        let messages = try #require(json?["messages"] as? [String: Any], "no status: \(status.output)")
        return try #require(messages["received"] as? Int)
    }

    /// The packets the drop rule of the UDP listener has counted.
    private func dropCounter(node: NetworkNamespace, nft: String) async throws -> Int {
        let listing = try await node.run(nft, ["-j", "list", "chain", "inet", "gatehouse", "guard"]).output
        let json = try JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [String: Any]
        let rules = ((json?["nftables"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? [String: Any] }
        // Each rule's comment names its listener (`gatehouse udp://10.231.0.1:5060`).
        for rule in rules where (rule["comment"] as? String)?.hasPrefix("gatehouse udp://") == true {
            let expressions = (rule["expr"] as? [[String: Any]]) ?? []
            guard let counter = expressions.compactMap({ $0["counter"] as? [String: Any] }).first else { continue }
            return counter["packets"] as? Int ?? 0
        }
        return -1
    }

    /// How many log lines name `address`.
    private func mentions(of address: String, in log: String) -> Int {
        log.split(separator: "\n").count { $0.contains(address) }
    }
}
