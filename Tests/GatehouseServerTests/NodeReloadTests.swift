import Foundation
import GatehouseServer
import SIPMessage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Plain-socket OPTIONS exchanges for the reload tests.
enum ReloadProbe {
    static func options(branch: String, host: String, transport: String = "UDP") -> String {
        """
        OPTIONS sip:ping@\(host) SIP/2.0\r
        Via: SIP/2.0/\(transport) 192.0.2.1:5999;branch=z9hG4bK\(branch);rport\r
        Max-Forwards: 70\r
        From: <sip:probe@example.com>;tag=probe1\r
        To: <sip:ping@\(host)>\r
        Call-ID: \(branch)@example.com\r
        CSeq: 1 OPTIONS\r
        Content-Length: 0\r
        \r

        """
    }

    /// The status of the answer to an OPTIONS sent over UDP to `host:port`, or nil without one.
    static func udpStatus(
        _ host: String, port: Int = 5060, branch: String, timeoutMilliseconds: Int = 1500
    ) throws
        -> Int?
    {
        let probe = try SocketProbe(udpFrom: "127.0.0.139")
        probe.send(options(branch: branch, host: host), to: host, port: port)
        guard let text = probe.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        return try SIPMessage(parsing: text).statusCode
    }

    /// The status of the answer to an OPTIONS sent over an open TCP connection.
    static func tcpStatus(_ probe: SocketProbe, host: String, branch: String) throws -> Int? {
        probe.send(options(branch: branch, host: host, transport: "TCP"))
        guard let text = probe.receive(timeoutMilliseconds: 1500), !text.isEmpty else { return nil }
        return try SIPMessage(parsing: text).statusCode
    }
}

/// Replacing the policy of a running node: refused files change nothing, listeners follow the new file, and the
/// connections of listeners in both files stay up. `reload(from:)` is called directly, except in the SIGHUP test.
@Suite(.serialized)
struct NodeReloadTests {
    @Test func aBadFileIsRefusedAndThePolicyStays() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = try workspace.writePolicy(listeners: ["udp://127.0.0.122:5060"])
        let node = try workspace.node(policyFile: file)
        let running = try await node.start()
        defer { Task { await node.stop(running) } }

        try workspace.write("policy.yaml", "version: 1\nnode: { name: reload-test }\nrealms: {}\nbogus: 1\n")
        await #expect {
            try await node.reload(from: file)
        } throws: { error in
            (error as? GatehouseNode.ReloadError)?.code == .invalid
        }
        await #expect {
            try await node.reload(from: workspace.directory + "/absent.yaml")
        } throws: { error in
            (error as? GatehouseNode.ReloadError)?.code == .unreadable
        }
        // A valid file whose TLS listener has no readable certificate is refused before anything is bound.
        try workspace.writePolicy(
            listeners: ["udp://127.0.0.122:5060", "tls://127.0.0.122:5061"],
            realmExtra: "    tls: { certificate: tls/absent.crt, key: tls/absent.key }")
        await #expect {
            try await node.reload(from: file)
        } throws: { error in
            (error as? GatehouseNode.ReloadError)?.code == .tlsFile && "\(error)".contains("tls/absent.crt")
        }
        #expect(node.counters.snapshot.reloadsFailed == 3)
        #expect(node.counters.snapshot.reloadsSucceeded == 0)
        #expect(node.policyInForce.snapshot.generation == 1)
        #expect(node.policy.realm(named: "access")?.listeners.count == 1)
        #expect(try ReloadProbe.udpStatus("127.0.0.122", branch: "bad1") == 200)
    }

    @Test func listenersFollowTheNewFileAndKeptOnesKeepTheirConnections() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = try workspace.writePolicy(listeners: ["udp://127.0.0.124:5060", "tcp://127.0.0.124:5060"])
        let node = try workspace.node(policyFile: file)
        let running = try await node.start()
        defer { Task { await node.stop(running) } }
        let connection = try SocketProbe(tcpTo: "127.0.0.124", port: 5060)
        #expect(try ReloadProbe.tcpStatus(connection, host: "127.0.0.124", branch: "keep1") == 200)

        // udp on .124 goes, udp on .125 comes, tcp on .124 stays.
        try workspace.writePolicy(listeners: ["tcp://127.0.0.124:5060", "udp://127.0.0.125:5060"])
        let outcome = try await node.reload(from: file)
        #expect(outcome.generation == 2)
        #expect(outcome.addedListeners.map(\.description) == ["udp://127.0.0.125:5060"])
        #expect(outcome.removedListeners.map(\.description) == ["udp://127.0.0.124:5060"])
        #expect(node.counters.snapshot.reloadsSucceeded == 1)

        #expect(try ReloadProbe.udpStatus("127.0.0.125", branch: "new1") == 200)
        #expect(try ReloadProbe.udpStatus("127.0.0.124", branch: "gone1", timeoutMilliseconds: 300) == nil)
        #expect(try ReloadProbe.tcpStatus(connection, host: "127.0.0.124", branch: "keep2") == 200)
        #expect(node.transportCounters.snapshot.acceptedConnections == 1)
        // Messages on the new listener are attributed to the realm of the new policy.
        #expect(node.counters.snapshot.received["access"] == 3)
        #expect(node.counters.snapshot.received["?"] == nil)
        #expect(
            Set(running.listeners.bound.map(\.endpoint.description)) == [
                "tcp://127.0.0.124:5060", "udp://127.0.0.125:5060",
            ])
    }

    @Test func aNewListenerThatCannotBeBoundKeepsTheOldPolicyEntirely() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = try workspace.writePolicy(listeners: ["udp://127.0.0.126:5060"])
        let node = try workspace.node(policyFile: file)
        let running = try await node.start()
        defer { Task { await node.stop(running) } }

        // 192.0.2.1 (TEST-NET-1) is no address of this host; the .127 listener would have been bound first.
        try workspace.writePolicy(listeners: ["udp://127.0.0.127:5060", "udp://192.0.2.1:5060"])
        await #expect {
            try await node.reload(from: file)
        } throws: { error in
            (error as? GatehouseNode.ReloadError)?.code == .bindFailed && "\(error)".contains("192.0.2.1")
        }
        #expect(node.counters.snapshot.reloadsFailed == 1)
        #expect(node.policyInForce.snapshot.generation == 1)
        #expect(try ReloadProbe.udpStatus("127.0.0.126", branch: "old1") == 200)
        #expect(try ReloadProbe.udpStatus("127.0.0.127", branch: "half1", timeoutMilliseconds: 300) == nil)
        #expect(running.listeners.bound.map(\.endpoint.description) == ["udp://127.0.0.126:5060"])
    }

    @Test func sighupReloadsThePolicyFile() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = try workspace.writePolicy(listeners: ["udp://127.0.0.128:5060"])
        let node = try workspace.node(policyFile: file)
        let running = try await node.start()
        defer { Task { await node.stop(running) } }
        // The handler is installed (SIGHUP ignored, a dispatch source reading it) before the signal is sent, so
        // the test process is never at SIGHUP's default action.
        let hangups = node.reloadOnSIGHUP(from: file)
        defer { hangups.cancel() }

        try workspace.writePolicy(listeners: ["udp://127.0.0.128:5060", "udp://127.0.0.129:5060"])
        kill(getpid(), SIGHUP)
        // The reload runs as tasks on the cooperative pool, which the whole suite shares: a generous bound that a
        // passing test never waits out.
        let deadline = ContinuousClock.now + .seconds(30)
        while node.counters.snapshot.reloadsSucceeded == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(node.counters.snapshot.reloadsSucceeded == 1)
        #expect(try ReloadProbe.udpStatus("127.0.0.129", branch: "hup1") == 200)
    }

    @Test func pidFiles() throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let path = workspace.directory + "/gatehouse.pid"
        #expect(throws: PidFile.Error.self) { try PidFile.read(path) }
        #expect(((try? PidFile.read(path)) == nil))
        try PidFile.write(path)
        #expect(try PidFile.read(path) == getpid())
        #expect(try PidFile.signal(0, toProcessIn: path) == getpid())
        PidFile.remove(path)
        #expect(!FileManager.default.fileExists(atPath: path))

        // A pid no process has (above any pid_max): the pid file is stale.
        try workspace.write("stale.pid", "999999999\n")
        #expect {
            try PidFile.signal(0, toProcessIn: workspace.directory + "/stale.pid")
        } throws: { error in
            "\(error)".contains("not running")
        }
        try workspace.write("junk.pid", "gatehouse\n")
        #expect(throws: PidFile.Error.self) { try PidFile.read(workspace.directory + "/junk.pid") }
    }
}
