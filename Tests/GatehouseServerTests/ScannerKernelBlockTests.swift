import Foundation
import TestSupport
import Testing

/// The "done when": in network namespaces this test makes (`gh-fw-node` running the built `gatehouse
/// serve`, `gh-fw-scan` running sipvicious, joined by a veth pair on 10.231.0.0/24), svmap and svwar scan the
/// running Gatehouse; the scanner's address lands in the nftables set, its later packets are counted by the drop
/// rule and never reach Gatehouse (its log never mentions the scanner again), and the table goes at stop.
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

    static func policy(state: String) -> String {
        """
        version: 1
        node: { name: fw-e2e, state: "sqlite:\(state)" }
        realms:
          access:
            listen: ["udp://\(nodeAddress):5060", "tcp://\(nodeAddress):5060"]
        firewall: { kernel_blocklist: true, table: gatehouse }
        detection: { block_for: 10m }

        """
    }

    @Test("svmap gets its scanner blocked in the kernel; svwar's packets are then dropped before Gatehouse")
    func scannersAreDroppedInTheKernel() async throws {
        let gatehouse = try #require(Self.gatehouseExecutable, "build the gatehouse executable first")
        let nft = try #require(ExternalProcess.find("nft"), "nft not found: install nftables")
        let svmap = try #require(ExternalProcess.find("svmap"), "svmap not found: install sipvicious")
        let svwar = try #require(ExternalProcess.find("svwar"), "svwar not found: install sipvicious")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gh-fw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let policyFile = directory.appendingPathComponent("policy.yaml").path
        try Self.policy(state: directory.appendingPathComponent("state.db").path)
            .write(toFile: policyFile, atomically: true, encoding: .utf8)

        let node = try await NetworkNamespace.create("gh-fw-node")
        let scan = try await NetworkNamespace.create("gh-fw-scan")
        var server: ExternalProcess.Running?
        do {
            try await node.connect(
                to: scan, address: "\(Self.nodeAddress)/24", otherAddress: "\(Self.scannerAddress)/24")
            let running = try node.start(gatehouse, ["serve", "--policy", policyFile, "--log-level", "debug"])
            server = running
            try await check(running, node: node, scan: scan, nft: nft, svmap: svmap, svwar: svwar)
        } catch {
            server?.stop()
            await scan.delete()
            await node.delete()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        server?.stop()
        await scan.delete()
        await node.delete()
        try? FileManager.default.removeItem(at: directory)
    }

    private func check(
        _ server: ExternalProcess.Running, node: NetworkNamespace, scan: NetworkNamespace, nft: String,
        svmap: String, svwar: String
    ) async throws {
        // The table appears once the listeners are bound.
        let installed = try await eventually(.seconds(30)) {
            try await node.run(nft, ["list", "table", "inet", "gatehouse"]).status == 0 || !server.isRunning
        }
        #expect(installed && server.isRunning, "gatehouse did not install its table: \(server.output.suffix(2000))")
        guard installed, server.isRunning else { return }

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
        #expect(
            mentions(of: Self.scannerAddress, in: server.output) == mentionsBefore,
            "Gatehouse saw the scanner after it was blocked: \(server.output.suffix(2000))")
        #expect(!server.output.contains("dropped a message from a blocked source"))

        // SIGTERM: the node stops cleanly and deletes its table.
        server.signal(SIGTERM)
        #expect(await eventually(.seconds(20)) { !server.isRunning })
        let tables = try await node.run(nft, ["list", "tables"]).output
        #expect(!tables.contains("gatehouse"), "\(tables)")
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
